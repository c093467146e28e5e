import { describe, expect, it } from "vitest";
import { ApiError, invalidInput, networkError, parseApiError, toApiError } from "./api-error";

describe("parseApiError", () => {
  it("reads the console error body, including field messages", () => {
    const body = JSON.stringify({
      error: {
        code: "validation_failed",
        message: "invalid request: admin.password: password must contain a digit",
        requestId: "req-1",
        details: {
          fields: { "admin.password": "password must contain a digit", "admin.email": "email must be an email address" },
        },
      },
    });
    const error = parseApiError(400, body, "header-id");
    expect(error).toBeInstanceOf(ApiError);
    expect({ ...error, message: error.message }).toEqual({
      name: "ApiError",
      status: 400,
      code: "validation_failed",
      message: "invalid request: admin.password: password must contain a digit",
      requestId: "req-1",
      fields: { "admin.password": "password must contain a digit", "admin.email": "email must be an email address" },
    });
  });

  it.each([
    ["no details", { error: { code: "unauthenticated", message: "wrong email or password", requestId: "r" } }, {}],
    ["details without fields", { error: { code: "conflict", message: "already set up", requestId: "r", details: { x: 1 } } }, {}],
    [
      "non-string field messages are dropped",
      { error: { code: "c", message: "m", details: { fields: { a: "ok", b: 3 } } } },
      { a: "ok" },
    ],
  ])("%s", (_name, body, fields) => {
    expect(parseApiError(401, JSON.stringify(body)).fields).toEqual(fields);
  });

  it("falls back to the X-Request-Id header when the body has no request id", () => {
    const error = parseApiError(409, JSON.stringify({ error: { code: "conflict", message: "already set up" } }), "hdr-7");
    expect(error.requestId).toBe("hdr-7");
    expect(error.code).toBe("conflict");
  });

  it.each([
    ["an HTML page from a proxy", "<html><body>Bad Gateway</body></html>"],
    ["an empty body", ""],
    ["JSON of another shape", JSON.stringify({ message: "nope" })],
    ["an error without a message", JSON.stringify({ error: { code: "x" } })],
  ])("describes %s by its status", (_name, text) => {
    const error = parseApiError(502, text, null);
    expect(error.message).toBe("the server answered HTTP 502");
    expect(error.code).toBe("http_502");
    expect(error.status).toBe(502);
    expect(error.fields).toEqual({});
    expect(error.requestId).toBeNull();
  });
});

describe("other error constructors", () => {
  it("networkError has status 0 and names the cause", () => {
    const error = networkError(new TypeError("Failed to fetch"));
    expect([error.status, error.code, error.message]).toEqual([
      0,
      "network_error",
      "could not reach the console API: Failed to fetch",
    ]);
  });

  it("toApiError keeps ApiErrors and wraps anything else", () => {
    const original = parseApiError(500, "");
    expect(toApiError(original)).toBe(original);
    expect(toApiError(new Error("boom")).message).toBe("boom");
    expect(toApiError("text").message).toBe("text");
  });

  it("invalidInput carries the form's field messages", () => {
    expect(invalidInput({ confirm: "the passwords do not match" }).fields).toEqual({ confirm: "the passwords do not match" });
  });
});
