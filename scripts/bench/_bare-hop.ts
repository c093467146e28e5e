/**
 * The bare proxy hop the gateway is measured against, a process of its own: Hono on @hono/node-server forwarding
 * every POST to the upstream through one keep-alive undici Pool — no auth, no parsing, no logic. Unary bodies are
 * handed to Hono as bytes (its fast path); streams are piped. Prints `{"port":N}` when listening.
 */

import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { stream } from "hono/streaming";
import { Pool } from "undici";

const { values } = parseArgs({ options: { upstream: { type: "string" } } });
const upstream = new URL(values.upstream ?? "");
const pool = new Pool(upstream.origin, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });
const basePath = upstream.pathname.replace(/\/+$/, "");

const app = new Hono();
app.post("/v1/*", async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer());
  const answer = await pool.request({
    method: "POST",
    path: basePath + c.req.path.slice("/v1".length),
    headers: { "content-type": "application/json", authorization: c.req.header("authorization") ?? "" },
    body,
  });
  const type = String(answer.headers["content-type"] ?? "application/json");
  if (!type.startsWith("text/event-stream")) {
    const bytes = new Uint8Array(await answer.body.arrayBuffer());
    return c.body(bytes, answer.statusCode as 200, { "content-type": type });
  }
  c.header("content-type", type);
  return stream(c, async (out) => {
    for await (const part of answer.body) await out.write(part as Uint8Array);
  });
});

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
  console.log(JSON.stringify({ port: info.port }));
});
process.on("SIGTERM", () => {
  server.close();
  void pool.close().then(() => process.exit(0));
});
