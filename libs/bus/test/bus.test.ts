import { randomBytes } from "node:crypto";
import { AppError } from "@thinkwatch/errors";
import { createLogger } from "@thinkwatch/log";
import { eventContract, requestContract } from "@thinkwatch/proto";
import { waitFor } from "@thinkwatch/testkit";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bus, connectBus } from "../src/bus.js";

const Echo = requestContract(
  "test.v1.echo",
  v.object({ text: v.string(), times: v.optional(v.number(), 1) }),
  v.object({ echoed: v.string() }),
);
const Silent = requestContract("test.v1.silent", v.object({}), v.object({}));
const Nobody = requestContract("test.v1.nobody", v.object({}), v.object({}));
const Fails = requestContract("test.v1.fails", v.object({ code: v.string() }), v.object({}));
const Lies = requestContract("test.v1.lies", v.object({}), v.object({ n: v.number() }));
const Tick = eventContract("test.v1.tick", v.object({ n: v.number() }));

const log = createLogger({ service: "test", level: "silent" });
const namespace = `t${randomBytes(4).toString("hex")}`;
const url = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
let server: Bus;
let replica: Bus;
let client: Bus;

beforeAll(async () => {
  server = await connectBus({ url, namespace, name: "server", log });
  replica = await connectBus({ url, namespace, name: "replica", log });
  client = await connectBus({ url, namespace, name: "client", log, requestTimeoutMs: 300 });
  for (const bus of [server, replica]) {
    bus.serve(Echo, async (req) => ({ echoed: `${bus === server ? "a" : "b"}:${req.text.repeat(req.times)}` }));
  }
  server.serve(Silent, () => new Promise(() => undefined));
  server.serve(Fails, async (req) => {
    if (req.code === "forbidden") throw new AppError("forbidden", "not for you", { details: { why: "test" } });
    throw new Error("database exploded with secret details");
  });
  server.serve(Lies, async () => ({ n: "not a number" }) as never);
  await Promise.all([server.nc.flush(), replica.nc.flush()]);
});

afterAll(async () => {
  for (const bus of [client, server, replica]) await bus?.close(500);
});

describe("bus request/serve", () => {
  it("validates and defaults the request, and shares work across a queue group", async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, () => client.request(Echo, { text: "hi" })));
    expect(new Set(replies.map((r) => r.echoed))).toEqual(new Set(["a:hi", "b:hi"]));
    expect((await client.request(Echo, { text: "ab", times: 2 })).echoed).toMatch(/^[ab]:abab$/);
  });

  it("has a request outside its contract refused by the server that receives it", async () => {
    await expect(client.request(Echo, { text: 5 } as never)).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringContaining("invalid test.v1.echo request"),
    });
  });

  it("maps a handler's AppError to the same code on the caller, and hides unexpected errors", async () => {
    await expect(client.request(Fails, { code: "forbidden" })).rejects.toMatchObject({
      code: "forbidden",
      message: "not for you",
      details: { why: "test" },
    });
    const hidden = await client.request(Fails, { code: "boom" }).catch((e: AppError) => e);
    expect(hidden).toMatchObject({ code: "internal", message: "internal error" });
    expect(JSON.stringify(hidden)).not.toContain("secret details");
  });

  it("turns a reply outside the contract into an internal error", async () => {
    await expect(client.request(Lies, {})).rejects.toMatchObject({
      code: "internal",
      message: "test.v1.lies produced an invalid reply",
    });
  });

  it("reports no responders and timeouts as retryable unavailable errors", async () => {
    await expect(client.request(Nobody, {})).rejects.toMatchObject({
      code: "unavailable",
      message: "no instance is serving test.v1.nobody",
      retryable: true,
    });
    await expect(client.request(Silent, {})).rejects.toMatchObject({
      code: "unavailable",
      message: "no reply in time from test.v1.silent",
    });
  });

  it("isolates namespaces: another namespace does not see these subjects", async () => {
    const other = await connectBus({ url, namespace: `${namespace}x`, name: "other", log, requestTimeoutMs: 300 });
    try {
      await expect(other.request(Echo, { text: "hi" })).rejects.toMatchObject({ code: "unavailable" });
    } finally {
      await other.close(200);
    }
  });

  it("broadcasts to every subscriber and drops payloads outside the contract", async () => {
    const seen: number[][] = [[], []];
    server.onBroadcast(Tick, (t) => seen[0]?.push(t.n));
    replica.onBroadcast(Tick, (t) => seen[1]?.push(t.n));
    await Promise.all([server.nc.flush(), replica.nc.flush()]);
    client.nc.publish(client.subject(Tick.subject), new TextEncoder().encode('{"n":"x"}'));
    client.broadcast(Tick, { n: 7 });
    // One publisher's messages arrive in order, so once 7 is seen the malformed one before it was already dropped.
    await waitFor(() => seen.every((list) => list.length > 0), { what: "the broadcast on both subscribers" });
    expect(seen).toEqual([[7], [7]]);
  });
});
