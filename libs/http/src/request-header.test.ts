import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestHeader } from "./request-header.js";

const app = new Hono();
app.get("/", (c) =>
  c.json({
    agent: requestHeader(c, "user-agent") ?? null,
    custom: requestHeader(c, "x-custom") ?? null,
    missing: requestHeader(c, "x-missing") ?? null,
  }),
);
let server: ReturnType<typeof serve>;
let base: string;

beforeAll(async () => {
  await new Promise<void>((ready) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => ready());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
});

describe("requestHeader on Node", () => {
  it("reads Node's parsed headers by lower-case name, repeated ones joined", async () => {
    const response = await fetch(base, {
      headers: [
        ["User-Agent", "probe/1.0"],
        ["X-Custom", "a"],
        ["X-Custom", "b"],
      ],
    });
    expect(await response.json()).toEqual({ agent: "probe/1.0", custom: "a, b", missing: null });
  });

  it("falls back to the WHATWG request off Node", async () => {
    const response = await app.request("/", { headers: { "user-agent": "in-process", "x-custom": "c" } });
    expect(await response.json()).toEqual({ agent: "in-process", custom: "c", missing: null });
  });
});
