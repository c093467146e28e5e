import { describe, expect, it, vi } from "vitest";
import { createApiClient } from "./api-client";
import { ApiError } from "./api-error";

function fakeFetch(status: number, body: string, headers: Record<string, string> = {}) {
  return vi.fn<typeof fetch>(async () => new Response(body === "" ? null : body, { status, headers }));
}

describe("createApiClient", () => {
  it("sends JSON with the bearer token and parses the answer", async () => {
    const fetch = fakeFetch(201, JSON.stringify({ ok: true }));
    const api = createApiClient({ getToken: () => "tok", fetch });
    await expect(api.post("/api/keys", { name: "ci" })).resolves.toEqual({ ok: true });
    const [path, init] = fetch.mock.calls[0] ?? [];
    expect(path).toBe("/api/keys");
    expect(init).toEqual({
      method: "POST",
      headers: { accept: "application/json", authorization: "Bearer tok", "content-type": "application/json" },
      body: JSON.stringify({ name: "ci" }),
    });
  });

  it.each(["put", "patch", "delete"] as const)("sends %s with its method and JSON body", async (method) => {
    const fetch = fakeFetch(200, JSON.stringify({ done: true }));
    const api = createApiClient({ getToken: () => "tok", fetch });
    await expect(api[method]("/api/x/1", { a: 1 })).resolves.toEqual({ done: true });
    expect(fetch.mock.calls[0]?.[1]).toEqual({
      method: method.toUpperCase(),
      headers: { accept: "application/json", authorization: "Bearer tok", "content-type": "application/json" },
      body: JSON.stringify({ a: 1 }),
    });
  });

  it("sends no authorization header and no body when there is no token or payload", async () => {
    const fetch = fakeFetch(200, JSON.stringify({ initialized: false }));
    await createApiClient({ getToken: () => null, fetch }).get("/api/setup/status");
    expect(fetch.mock.calls[0]?.[1]).toEqual({ method: "GET", headers: { accept: "application/json" }, body: null });
  });

  it("throws the parsed ApiError and ends the session on a 401 with a token", async () => {
    const onUnauthorized = vi.fn();
    const body = JSON.stringify({ error: { code: "unauthenticated", message: "token expired", requestId: "r1" } });
    const api = createApiClient({ getToken: () => "old", onUnauthorized, fetch: fakeFetch(401, body) });
    const error = await api.get("/api/auth/me").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe("token expired");
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it("treats a 401 without a token as a failed login, not an ended session", async () => {
    const onUnauthorized = vi.fn();
    const body = JSON.stringify({ error: { code: "unauthenticated", message: "wrong email or password", requestId: "r" } });
    const api = createApiClient({ getToken: () => null, onUnauthorized, fetch: fakeFetch(401, body) });
    await expect(api.post("/api/auth/login", {})).rejects.toThrow("wrong email or password");
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it("uses the X-Request-Id header when the error body is not ours", async () => {
    const api = createApiClient({ getToken: () => null, fetch: fakeFetch(502, "Bad Gateway", { "x-request-id": "edge-9" }) });
    const error = (await api.get("/api/setup/status").catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.requestId, error.message]).toEqual([502, "edge-9", "the server answered HTTP 502"]);
  });

  it("turns a failed fetch into a network ApiError", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => {
      throw new TypeError("Failed to fetch");
    });
    const error = (await createApiClient({ getToken: () => null, fetch })
      .get("/api/setup/status")
      .catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code]).toEqual([0, "network_error"]);
  });
});
