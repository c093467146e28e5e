import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error";
import { isRetryable } from "./query-client";

const error = (status: number) => new ApiError({ status, code: "c", message: "m" });

describe("isRetryable", () => {
  it.each([
    [0, 0, true],
    [1, 503, true],
    [2, 503, false],
    [0, 400, false],
    [0, 401, false],
    [0, 404, false],
  ])("attempt %i after HTTP %i → %s", (count, status, expected) => {
    expect(isRetryable(count, error(status))).toBe(expected);
  });
});
