import { PassThrough } from "node:stream";
import { AppError } from "@thinkwatch/errors";
import { createLogger } from "@thinkwatch/log";
import { describe, expect, it } from "vitest";
import { createHttpApp } from "./app.js";
import { carryingRequestId } from "./request-id.js";

const app = createHttpApp({ log: createLogger({ service: "test", level: "silent" }) });
app.get("/json", (c) => c.json({ ok: true }));
app.get("/own", () => new Response("x", { headers: { "x-request-id": "set-by-handler" } }));
app.get("/plain", () => new Response("x"));
/** A response marked as built with its id, whose headers must not be read (reading them throws here). */
app.get("/carrying", () => {
  const response = new Response("carried");
  Object.defineProperty(response, "headers", {
    get: () => {
      throw new Error("headers read");
    },
  });
  return carryingRequestId(response);
});
/** Headers that refuse changes, as those of a Response handed out by fetch do. */
function immutableHeaders(): Headers {
  const headers = new Headers();
  Object.defineProperty(headers, "set", {
    value: () => {
      throw new TypeError("immutable");
    },
  });
  return headers;
}
app.get("/fetched", () => {
  const response = new Response("x");
  Object.defineProperty(response, "headers", { value: immutableHeaders(), configurable: true });
  return response;
});

describe("the request id on every response", () => {
  it.each(["/json", "/plain", "/fetched"])("is added to %s, taken from a sane incoming header", async (path) => {
    const response = await app.request(path, { headers: { "x-request-id": "req-12345678" } });
    expect(response.headers.get("x-request-id")).toBe("req-12345678");
    expect(await response.text()).not.toBe("");
  });

  it("is minted when the caller sent none or an unusable one", async () => {
    const response = await app.request("/json", { headers: { "x-request-id": "bad id" } });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps the one a handler set on its own response", async () => {
    const response = await app.request("/own", { headers: { "x-request-id": "req-12345678" } });
    expect(response.headers.get("x-request-id")).toBe("set-by-handler");
  });

  it("is not looked for on a response marked as carrying it (its headers are never read)", async () => {
    const response = await app.request("/carrying", { headers: { "x-request-id": "req-12345678" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("carried");
  });

  it("is on error responses and 404s", async () => {
    const missing = await app.request("/nowhere");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-request-id")).not.toBeNull();
  });
});

describe("what a failed request logs", () => {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new PassThrough();
  destination.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line !== "") lines.push(JSON.parse(line));
  });
  const logged = createHttpApp({ log: createLogger({ service: "test", level: "info", destination }) });
  logged.get("/bug", () => {
    throw new TypeError("cannot read properties of undefined");
  });
  logged.get("/upstream", () => {
    throw new AppError("upstream_error", "egress refused: 127.0.0.1 is loopback");
  });
  logged.get("/invalid", () => {
    throw new AppError("bad_request", "model is required");
  });
  const linesFor = async (path: string) => {
    lines.length = 0;
    const response = await logged.request(path);
    await new Promise((done) => setImmediate(done));
    return { status: response.status, lines: [...lines] };
  };

  it("an unexpected failure: an error with its stack", async () => {
    const { status, lines: found } = await linesFor("/bug");
    expect(status).toBe(500);
    expect(found).toHaveLength(1);
    expect(found[0]?.level).toBe("error");
    expect(String((found[0]?.err as { stack?: string } | undefined)?.stack)).toContain("cannot read properties of undefined");
  });

  it("a known failure outside the process (5xx): a warning with its code and message, no stack", async () => {
    const { status, lines: found } = await linesFor("/upstream");
    expect(status).toBe(502);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      level: "warn",
      code: "upstream_error",
      status: 502,
      error: "egress refused: 127.0.0.1 is loopback",
      msg: "request failed",
    });
    expect(found[0]?.err).toBeUndefined();
    expect(found[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the caller's mistake (4xx): nothing", async () => {
    const { status, lines: found } = await linesFor("/invalid");
    expect(status).toBe(400);
    expect(found).toHaveLength(0);
  });
});
