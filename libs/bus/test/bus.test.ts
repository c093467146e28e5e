import { randomBytes } from "node:crypto";
import { AppError } from "@thinkwatch/errors";
import { createLogger } from "@thinkwatch/log";
import { eventContract, requestContract } from "@thinkwatch/proto";
import { waitFor } from "@thinkwatch/testkit";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bus, connectBus, createBus, type Served } from "../src/bus.js";
import { type NatsLink, openNatsLink } from "../src/nats-link.js";
import { observingRequests } from "../src/request-observer.js";

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
const Near = requestContract(
  "test.v1.near.echo",
  v.object({ text: v.string(), times: v.optional(v.number(), 1) }),
  v.object({ echoed: v.string() }),
);
const NearFails = requestContract("test.v1.near.fails", v.object({}), v.object({}));
const NearSilent = requestContract("test.v1.near.silent", v.object({}), v.object({}));
const NearKeeps = requestContract(
  "test.v1.near.keeps",
  v.object({ text: v.string(), times: v.optional(v.number(), 1) }),
  v.object({ echoed: v.string() }),
);

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

describe("a contract served on the requester's own connection (services sharing a process)", () => {
  let link: NatsLink;
  let local: Bus;
  let caller: Bus;
  let remote: Bus;
  let localEcho: Served;
  let handled = 0;

  beforeAll(async () => {
    link = await openNatsLink({ url, name: "shared", log });
    local = createBus(link, { namespace, log });
    caller = createBus(link, { namespace, log, requestTimeoutMs: 300 });
    remote = await connectBus({ url, namespace, name: "remote", log });
    localEcho = local.serve(Near, async (req) => {
      handled += 1;
      return { echoed: `local:${req.text.repeat(req.times)}` };
    });
    remote.serve(Near, async (req) => ({ echoed: `remote:${req.text.repeat(req.times)}` }));
    local.serve(NearFails, async () => {
      throw new AppError("forbidden", "not for you", { details: { why: "test" } });
    });
    local.serve(NearSilent, () => new Promise(() => undefined));
    await Promise.all([link.nc.flush(), remote.nc.flush()]);
  });

  afterAll(async () => {
    for (const bus of [caller, local, remote]) await bus?.close(200);
    await link?.close();
  });

  it("is answered in-process, checked as over NATS, and sends nothing through the NATS server", async () => {
    const sent = link.nc.stats().outMsgs;
    const replies = await Promise.all(Array.from({ length: 20 }, () => caller.request(Near, { text: "ab", times: 2 })));
    // A remote replica serves the same queue group, yet every request stayed in the process.
    expect(new Set(replies.map((r) => r.echoed))).toEqual(new Set(["local:abab"]));
    expect((await caller.request(Near, { text: "x" })).echoed).toBe("local:x");
    await expect(caller.request(Near, { text: 5 } as never)).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringContaining("invalid test.v1.near.echo request"),
    });
    await expect(caller.request(NearFails, {})).rejects.toMatchObject({
      code: "forbidden",
      message: "not for you",
      details: { why: "test" },
    });
    await expect(caller.request(NearSilent, {})).rejects.toMatchObject({
      code: "unavailable",
      message: "no reply in time from test.v1.near.silent",
    });
    expect(link.nc.stats().outMsgs).toBe(sent);
  });

  it("hands the server the request value and the requester the reply value, each checked once and never shared", async () => {
    const payload = { text: "hi" };
    let seen: unknown;
    const served = local.serve(NearKeeps, async (req) => {
      seen = req;
      // A handler that changes its request changes its own copy, never the requester's object.
      (req as { text: string }).text = "changed";
      return { echoed: req.text, extra: "dropped" } as never;
    });
    try {
      const sent = link.nc.stats().outMsgs;
      const reply = await caller.request(NearKeeps, payload);
      // The server's check applied the default and dropped the unknown key; nothing was encoded or sent.
      expect(seen).toEqual({ text: "changed", times: 1 });
      expect(seen).not.toBe(payload);
      expect(payload).toEqual({ text: "hi" });
      expect(reply).toEqual({ echoed: "changed" });
      expect(link.nc.stats().outMsgs).toBe(sent);
    } finally {
      served.unsubscribe();
    }
  });

  it("answers a typed request larger than max_payload in-process, while raw bytes that large go to NATS and fail", async () => {
    const before = handled;
    const tooLarge = "x".repeat((link.nc.info?.max_payload ?? 1024 * 1024) + 1);
    expect((await caller.request(Near, { text: tooLarge })).echoed).toHaveLength(tooLarge.length + "local:".length);
    expect(handled).toBe(before + 1);
    const bytes = new TextEncoder().encode(JSON.stringify({ text: tooLarge }));
    await expect(caller.requestRaw(caller.subject(Near.subject), bytes, 300)).rejects.toThrow();
    expect(handled).toBe(before + 1);
  });

  it("times each request for metrics with its transport: local when answered in-process, nats otherwise", async () => {
    const seen: Array<{ subject: string; transport: string; errorCode: string | null }> = [];
    const observed = observingRequests(caller, {
      observe: (subject, transport, seconds, errorCode) => {
        expect(seconds).toBeGreaterThanOrEqual(0);
        seen.push({ subject, transport, errorCode });
      },
    });
    await observed.request(Near, { text: "hi" });
    await expect(observed.request(NearFails, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(observed.request(Nobody, {})).rejects.toMatchObject({ code: "unavailable" });
    expect(seen).toEqual([
      { subject: Near.subject, transport: "local", errorCode: null },
      { subject: NearFails.subject, transport: "local", errorCode: "forbidden" },
      { subject: Nobody.subject, transport: "nats", errorCode: "unavailable" },
    ]);
  });

  it("goes to the other replicas over NATS once the local server unsubscribes", async () => {
    localEcho.unsubscribe();
    const sent = link.nc.stats().outMsgs;
    expect((await caller.request(Near, { text: "hi" })).echoed).toBe("remote:hi");
    expect(link.nc.stats().outMsgs).toBeGreaterThan(sent);
  });
});
