import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { toRedisAppError } from "./redis-error.js";

describe("toRedisAppError", () => {
  const cases: Array<[string, Error, "internal" | "unavailable", boolean]> = [
    ["a script error", new Error("ERR Error running script (call to f_x): @user_script:1: bad"), "internal", false],
    ["a wrong type", new Error("WRONGTYPE Operation against a key holding the wrong kind of value"), "internal", false],
    ["missing auth", new Error("NOAUTH Authentication required."), "internal", false],
    ["a server still loading", new Error("LOADING Redis is loading the dataset in memory"), "unavailable", true],
    ["a busy script", new Error("BUSY Redis is busy running a script."), "unavailable", true],
    [
      "a refused connection",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6399"), { code: "ECONNREFUSED" }),
      "unavailable",
      true,
    ],
    ["a closed connection", new Error("Connection is closed."), "unavailable", true],
    [
      "exhausted retries",
      Object.assign(new Error("Reached the max retries per request limit (which is 2)."), { name: "MaxRetriesPerRequestError" }),
      "unavailable",
      true,
    ],
  ];
  it.each(cases)("maps %s", (_name, error, code, retryable) => {
    const mapped = toRedisAppError(error, "command");
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ code, retryable, cause: error });
    expect(mapped.message).toBe(`Redis command failed: ${error.message}`);
  });

  it("passes an AppError through unchanged", () => {
    const original = new AppError("internal", "x");
    expect(toRedisAppError(original, "command")).toBe(original);
  });
});
