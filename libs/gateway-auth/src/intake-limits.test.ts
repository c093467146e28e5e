import { AppError } from "@thinkwatch/errors";
import { DEFAULT_SETTINGS } from "@thinkwatch/proto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { BODY_MEMORY_FACTOR, createIntakeLimits, type IntakeLease } from "./intake-limits.js";

const settings = (perKeyConcurrency: number, inFlightBodyBudgetBytes: number) => () => ({
  ...DEFAULT_SETTINGS.gateway,
  perKeyConcurrency,
  inFlightBodyBudgetBytes,
});

/** Reads the body through a lease inside a real Hono request; answers with the error code or "ok". */
async function readThrough(lease: IntakeLease, body: string, chunked = false): Promise<string> {
  const app = new Hono();
  app.post("/", async (c) => {
    try {
      await lease.readBody(c, 1024);
      return c.text("ok");
    } catch (caught) {
      return c.text((caught as AppError).code);
    }
  });
  const payload = chunked
    ? new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      })
    : body;
  const headers: Record<string, string> = chunked ? {} : { "content-length": String(Buffer.byteLength(body)) };
  const response = await app.request("/", { method: "POST", body: payload, headers, duplex: "half" } as RequestInit);
  return response.text();
}

const body = JSON.stringify({ text: "x".repeat(40) });

describe("per-key concurrency", () => {
  it("refuses a key's request beyond its limit with a 429, frees the slot on release, leaves other keys alone", () => {
    const limits = createIntakeLimits(settings(2, 1 << 30));
    const first = limits.admit("k1");
    limits.admit("k1");
    const refused = (() => {
      try {
        limits.admit("k1");
        return null;
      } catch (caught) {
        return caught as AppError;
      }
    })();
    expect(refused?.status).toBe(429);
    expect(refused?.toJSON()).toEqual({
      code: "rate_limited",
      message: "too many concurrent requests for this API key (limit 2)",
      details: { rule: "api_key_concurrency", limit: 2, retryAfterSeconds: 1 },
    });
    expect(() => limits.admit("k2")).not.toThrow();
    first.release();
    first.release(); // idempotent: one slot back, not two
    expect(() => limits.admit("k1")).not.toThrow();
    expect(() => limits.admit("k1")).toThrow(AppError);
  });

  it("0 means unlimited", () => {
    const limits = createIntakeLimits(settings(0, 1 << 30));
    for (let i = 0; i < 1000; i++) limits.admit("k");
  });
});

describe("in-flight body budget", () => {
  const size = Buffer.byteLength(body);
  it.each([false, true])("charges bodies (chunked: %s) against the process budget until released", async (chunked) => {
    const limits = createIntakeLimits(settings(0, size * BODY_MEMORY_FACTOR + 10));
    const first = limits.admit("k");
    expect(await readThrough(first, body, chunked)).toBe("ok");
    expect(limits.bytesInFlight()).toBe(size * BODY_MEMORY_FACTOR);
    const second = limits.admit("k");
    expect(await readThrough(second, body, chunked)).toBe("unavailable");
    second.release();
    first.releaseBody();
    expect(limits.bytesInFlight()).toBe(0);
    const third = limits.admit("k");
    expect(await readThrough(third, body, chunked)).toBe("ok");
    third.release();
    first.release();
    expect(limits.bytesInFlight()).toBe(0);
  });

  it("refuses a declared length over the body limit before reading", async () => {
    const limits = createIntakeLimits(settings(0, 1 << 30));
    expect(await readThrough(limits.admit("k"), JSON.stringify({ text: "x".repeat(2000) }))).toBe("payload_too_large");
    expect(limits.bytesInFlight()).toBe(0);
  });
});
