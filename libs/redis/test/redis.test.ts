import { randomBytes } from "node:crypto";
import net from "node:net";
import { Writable } from "node:stream";
import { AppError } from "@thinkwatch/errors";
import { createLogger } from "@thinkwatch/log";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRedis, defineScript, MAX_CALLS_PER_RUN, probeRedis } from "../src/index.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

describe("createRedis and defineScript against the real server", () => {
  const prefix = `tw_test_${randomBytes(5).toString("hex")}:`;
  let redis: Redis;
  /** No prefix: sees the keys as they are stored. */
  let raw: Redis;

  beforeAll(() => {
    redis = createRedis({ url: REDIS_URL, keyPrefix: prefix });
    raw = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    const leftovers = await raw.keys(`${prefix}*`);
    const unprefixed = await raw.keys(`unprefixed_${prefix}*`);
    if (leftovers.length + unprefixed.length > 0) await raw.del(...leftovers, ...unprefixed);
    redis.disconnect();
    raw.disconnect();
  });

  it("stores every key under the prefix", async () => {
    await redis.set("greeting", "hello");
    expect(await redis.get("greeting")).toBe("hello");
    expect(await raw.get(`${prefix}greeting`)).toBe("hello");
    expect(await raw.get("greeting")).toBeNull();
  });

  it("prefixes a script's KEYS but not key names the script builds itself", async () => {
    const lua = `redis.call("SET", KEYS[1], ARGV[1]); redis.call("SET", "unprefixed_" .. ARGV[2], ARGV[1]); return redis.call("GET", KEYS[1])`;
    const setBoth = defineScript<string>(redis, "setBoth", lua, 1);
    expect(await setBoth(["via_keys"], ["v1", `${prefix}built`])).toBe("v1");
    expect(await raw.get(`${prefix}via_keys`)).toBe("v1");
    expect(await raw.get(`unprefixed_${prefix}built`)).toBe("v1");
    expect(await raw.get(`${prefix}unprefixed_${prefix}built`)).toBeNull();
  });

  it("falls back to EVAL when the server does not have the script yet, and uses EVALSHA afterwards", async () => {
    // A unique comment makes a script this server has never seen, so the first EVALSHA must get NOSCRIPT.
    const lua = `-- ${randomBytes(8).toString("hex")}\nreturn redis.call("INCRBY", KEYS[1], ARGV[1])`;
    const incrementBy = defineScript<number>(redis, "incrementBy", lua, 1);
    expect(await raw.script("EXISTS", incrementBy.sha)).toEqual([0]);
    expect(await incrementBy(["counter"], [5])).toBe(5);
    expect(await raw.script("EXISTS", incrementBy.sha)).toEqual([1]);
    expect(await incrementBy(["counter"], [2])).toBe(7);
    expect(await raw.get(`${prefix}counter`)).toBe("7");
  });

  it("runs many calls as one batch, in order, each on its own: NOSCRIPT answered with the script, a failing one alone", async () => {
    // Unknown to the server at first: the batch's EVALSHA gets NOSCRIPT and the batch is sent in full.
    const lua = `-- ${randomBytes(8).toString("hex")}\nreturn redis.call("INCRBY", KEYS[1], ARGV[1])`;
    const incrementBy = defineScript<number>(redis, "incrementByMany", lua, 1);
    await redis.set("many_text", "not a number");
    const outcomes = await incrementBy.many([
      { keys: ["many_counter"], args: [1] },
      { keys: ["many_counter"], args: [10] },
      { keys: ["many_text"], args: [1] },
      { keys: ["many_counter"], args: [100] },
    ]);
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.value : outcome.error.code))).toEqual([1, 11, "internal", 111]);
    const failed = outcomes[2];
    expect(failed?.ok === false && failed.error.message).toMatch(/^Redis script incrementByMany failed: .*not an integer/);
    expect(await raw.get(`${prefix}many_counter`)).toBe("111");
    // Cached now: one round.
    const again = await incrementBy.many([{ keys: ["many_counter"], args: [1] }]);
    expect(again).toEqual([{ ok: true, value: 112 }]);
    expect(await incrementBy.many([])).toEqual([]);
    // The server forgets its scripts (restart, failover): the next batch resends the script and still runs once.
    await raw.script("FLUSH");
    expect(await incrementBy.many([{ keys: ["many_counter"], args: [3] }])).toEqual([{ ok: true, value: 115 }]);
    expect(await raw.get(`${prefix}many_counter`)).toBe("115");
  });

  it("gives each call of a batch its own KEYS and ARGV, its early return, its nil, and its own Lua error", async () => {
    // A variadic script with an early return, a nil reply and a raised error, as the quota scripts have.
    const lua = `
local total = 0
if ARGV[1] == 'nil' then return nil end
if ARGV[1] == 'raise' then error('asked to fail') end
for i = 1, #KEYS do total = total + redis.call('INCRBY', KEYS[i], ARGV[i]) end
if #KEYS == 0 then return {#ARGV} end
return {#KEYS, #ARGV, total}`;
    const sum = defineScript<unknown>(redis, "variadicSum", lua, "variadic");
    const outcomes = await sum.many([
      { keys: ["v_a", "v_b", "v_c"], args: [1, 2, 3] },
      { keys: [], args: ["x", "y"] },
      { keys: ["v_a"], args: ["nil"] },
      { keys: ["v_b"], args: ["raise"] },
      { keys: ["v_a", "v_b"], args: [10, 20, "extra"] },
    ]);
    expect(outcomes.slice(0, 3)).toEqual([
      { ok: true, value: [3, 3, 6] },
      { ok: true, value: [2] },
      { ok: true, value: null },
    ]);
    const raised = outcomes[3];
    expect(raised?.ok).toBe(false);
    expect(raised?.ok === false && raised.error.message).toMatch(/asked to fail/);
    // v_a: 1 + 10, v_b: 2 + 20; the prefix applied to every call's keys.
    expect(outcomes[4]).toEqual({ ok: true, value: [2, 3, 11 + 22] });
    expect(await raw.mget(`${prefix}v_a`, `${prefix}v_b`, `${prefix}v_c`)).toEqual(["11", "22", "3"]);
  });

  it("splits a batch into runs of at most MAX_CALLS_PER_RUN calls, sent together and run in order", async () => {
    const lua = `return redis.call("RPUSH", KEYS[1], ARGV[1])`;
    const push = defineScript<number>(redis, "pushInOrder", lua, 1);
    const count = MAX_CALLS_PER_RUN * 2 + 6;
    const evalsha = vi.spyOn(redis, "evalsha");
    try {
      const outcomes = await push.many(Array.from({ length: count }, (_, i) => ({ keys: ["ordered"], args: [i] })));
      // RPUSH answers the list's new length: the calls ran one after another, in the order given.
      expect(outcomes).toEqual(Array.from({ length: count }, (_, i) => ({ ok: true, value: i + 1 })));
      expect(evalsha).toHaveBeenCalledTimes(3);
    } finally {
      evalsha.mockRestore();
    }
    expect(await raw.lrange(`${prefix}ordered`, 0, -1)).toEqual(Array.from({ length: count }, (_, i) => String(i)));
  });

  it("gives every call of a batch the error when the whole command fails", async () => {
    const unreachable = createRedis({ url: `redis://127.0.0.1:${await closedPort()}`, keyPrefix: prefix });
    try {
      const script = defineScript<number>(unreachable, "neverRuns", "return 1", 0);
      const outcomes = await script.many([
        { keys: [], args: [] },
        { keys: [], args: [] },
      ]);
      expect(outcomes).toHaveLength(2);
      for (const outcome of outcomes) expect(outcome.ok === false && outcome.error).toBeInstanceOf(AppError);
    } finally {
      unreachable.disconnect();
    }
  });

  it("rejects a call with the wrong number of keys before sending it", async () => {
    const script = defineScript(redis, "twoKeys", "return 1", 2);
    await expect(script(["only_one"])).rejects.toMatchObject({
      code: "internal",
      message: "Redis script twoKeys takes 2 keys, got 1",
    });
  });

  it("reports a failing script as a non-retryable internal AppError", async () => {
    await redis.set("text", "not a number");
    const increment = defineScript(redis, "increment", `return redis.call("INCR", KEYS[1])`, 1);
    const error = await increment(["text"]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "internal", retryable: false });
    expect((error as AppError).message).toMatch(/^Redis script increment failed: .*not an integer/);
  });

  it.each([
    ["a name with spaces", "bad name", 1],
    ["a negative key count", "ok", -1],
  ])("refuses %s", (_what, name, keys) => {
    expect(() => defineScript(redis, name, "return 1", keys)).toThrow(AppError);
  });
});

describe("probeRedis", () => {
  it("passes against the configured server", async () => {
    await expect(probeRedis(REDIS_URL)).resolves.toBeUndefined();
  });

  it("says the server is not reachable when nothing listens, without the password", async () => {
    const error = await probeRedis(`redis://:pw-s3cret@127.0.0.1:${await closedPort()}`, { timeoutMs: 1000 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("unavailable");
    expect((error as AppError).message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+ is not reachable: .*ECONNREFUSED/);
    expect((error as AppError).message).not.toContain("pw-s3cret");
  });
});

describe("createRedis connection errors", () => {
  it("logs one warning per distinct failure, not one per reconnect attempt", async () => {
    const lines: Array<{ level: string; msg: string }> = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const log = createLogger({ service: "test", destination });
    const redis = createRedis({ url: `redis://127.0.0.1:${await closedPort()}`, keyPrefix: "x:", log, maxRetriesPerRequest: 0 });
    try {
      let attempts = 0;
      await new Promise<void>((resolve) => {
        redis.on("reconnecting", () => {
          attempts += 1;
          if (attempts === 3) resolve();
        });
      });
      const warnings = lines.filter((line) => line.level === "warn");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.msg).toBe("redis connection error");
    } finally {
      redis.disconnect();
    }
  });
});
