/**
 * Lua scripts on Redis: EVALSHA by hash, falling back to EVAL (which also caches the script on the server) when the
 * server answers NOSCRIPT — after a restart, a failover or SCRIPT FLUSH. Keys go through KEYS so the client's key
 * prefix applies to them.
 */
import { createHash } from "node:crypto";
import { AppError } from "@thinkwatch/errors";
import type { Redis } from "ioredis";
import { toRedisAppError } from "./redis-error.js";

export type ScriptArg = string | number | Buffer;

export interface ScriptCall {
  keys: readonly string[];
  args: readonly ScriptArg[];
}

/** One call's outcome in a batch: each call ran atomically on its own, or failed on its own. */
export type ScriptOutcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

export interface RedisScript<T> {
  (keys: readonly string[], args?: readonly ScriptArg[]): Promise<T>;
  /**
   * Several calls in one round trip and one script run on the server per MAX_CALLS_PER_RUN calls: each call still
   * runs atomically, in order, and one call's error fails that call alone. When the server has not cached the batch
   * script (NOSCRIPT) it is sent in full once. A failure of the whole command (Redis away, busy, loading) is every
   * call's error; nothing rejects.
   */
  many(calls: readonly ScriptCall[]): Promise<Array<ScriptOutcome<T>>>;
  readonly scriptName: string;
  readonly sha: string;
  /** "variadic": the script takes however many keys a call passes (one per counter it touches). */
  readonly numberOfKeys: number | "variadic";
}

const SCRIPT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/**
 * The most calls one batch script run carries. A script holds Redis for its whole run: 32 quota checks take about
 * 1–2 ms, so a batch of 500 goes as 16 runs, written together, and other clients' commands are served between them.
 */
export const MAX_CALLS_PER_RUN = 32;

/** `T` is the shape the caller expects the script to return; it is not checked. */
export function defineScript<T = unknown>(
  redis: Redis,
  name: string,
  lua: string,
  numberOfKeys: number | "variadic",
): RedisScript<T> {
  if (!SCRIPT_NAME.test(name)) throw new AppError("internal", `Redis script name "${name}" must be a plain identifier`);
  if (numberOfKeys !== "variadic" && (!Number.isInteger(numberOfKeys) || numberOfKeys < 0))
    throw new AppError("internal", `Redis script ${name}: numberOfKeys must be ≥ 0`);
  const sha = createHash("sha1").update(lua).digest("hex");
  const batch = batchScript(lua);

  /** EVALSHA, or EVAL (which caches the script) when the server answers NOSCRIPT; a failure as an AppError. */
  const evalCached = async (
    script: { sha: string; lua: string },
    keys: readonly ScriptArg[],
    args: readonly ScriptArg[],
  ): Promise<unknown> => {
    try {
      return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (caught) {
      if (!(caught instanceof Error) || !caught.message.startsWith("NOSCRIPT")) throw toRedisAppError(caught, `script ${name}`);
    }
    try {
      return await redis.eval(script.lua, keys.length, ...keys, ...args);
    } catch (caught) {
      throw toRedisAppError(caught, `script ${name}`);
    }
  };

  const run = async (keys: readonly string[], args: readonly ScriptArg[] = []): Promise<T> => {
    if (numberOfKeys !== "variadic" && keys.length !== numberOfKeys) {
      throw new AppError("internal", `Redis script ${name} takes ${numberOfKeys} keys, got ${keys.length}`);
    }
    return (await evalCached({ sha, lua }, keys, args)) as T;
  };
  /**
   * Several calls as one EVALSHA of the batch script (see `batchScript`): one command to build, send and parse and one
   * script run on the server, instead of one pipelined EVALSHA per call (`npm run bench -- quota`, batches of 32:
   * quota's CPU per decision about a quarter lower). Replies come back in order: a call's value, or an error of its
   * own.
   */
  const batched = async (calls: readonly ScriptCall[]): Promise<Array<ScriptOutcome<T>>> => {
    // KEYS: every call's keys. ARGV: n, the counts, and every call's arguments.
    const keys: string[] = [];
    const args: ScriptArg[] = [calls.length];
    for (const call of calls) {
      for (const key of call.keys) keys.push(key);
      args.push(call.keys.length, call.args.length);
    }
    for (const call of calls) for (const arg of call.args) args.push(arg);
    let reply: unknown;
    try {
      reply = await evalCached(batch, keys, args);
    } catch (caught) {
      const error = caught instanceof AppError ? caught : toRedisAppError(caught, `script ${name}`);
      return calls.map(() => ({ ok: false, error }));
    }
    const replies = Array.isArray(reply) ? reply : [];
    return calls.map((_, index): ScriptOutcome<T> => {
      if (index >= replies.length)
        return { ok: false, error: new AppError("internal", `script ${name}: no reply for call ${index}`) };
      const value: unknown = replies[index];
      if (value instanceof Error) return { ok: false, error: toRedisAppError(value, `script ${name}`) };
      return { ok: true, value: value as T };
    });
  };

  const many = async (calls: readonly ScriptCall[]): Promise<Array<ScriptOutcome<T>>> => {
    if (calls.length === 0) return [];
    for (const call of calls) {
      if (numberOfKeys !== "variadic" && call.keys.length !== numberOfKeys) {
        throw new AppError("internal", `Redis script ${name} takes ${numberOfKeys} keys, got ${call.keys.length}`);
      }
    }
    // One call: the script itself, without the batch's copying of KEYS and ARGV.
    const only = calls.length === 1 ? calls[0] : undefined;
    if (only === undefined) {
      if (calls.length <= MAX_CALLS_PER_RUN) return batched(calls);
      // Written together on the one connection, so Redis runs the pieces in order; other clients get a turn between.
      const pieces: Array<Promise<Array<ScriptOutcome<T>>>> = [];
      for (let i = 0; i < calls.length; i += MAX_CALLS_PER_RUN) pieces.push(batched(calls.slice(i, i + MAX_CALLS_PER_RUN)));
      return (await Promise.all(pieces)).flat();
    }
    try {
      return [{ ok: true, value: await run(only.keys, only.args) }];
    } catch (caught) {
      return [{ ok: false, error: caught instanceof AppError ? caught : toRedisAppError(caught, `script ${name}`) }];
    }
  };

  return Object.assign(run, { scriptName: name, sha, numberOfKeys, many });
}

/**
 * The batch form of a script: its body becomes a Lua function of its own KEYS and ARGV (both shadowed by the
 * function's parameters, so the body runs unchanged, early `return`s included), called once per call under pcall.
 * KEYS: every call's keys, concatenated. ARGV: the number of calls n, then per call its key count and argument count,
 * then every call's arguments, concatenated. Returns one entry per call: its reply (nil as false, so the array keeps
 * its length), or an error reply of its own.
 */
function batchScript(lua: string): { lua: string; sha: string } {
  const wrapped = `local function one(KEYS, ARGV)
${lua}
end
local n = tonumber(ARGV[1])
local out = {}
local k, a = 0, 1 + 2 * n
for c = 1, n do
  local nk, na = tonumber(ARGV[2 * c]), tonumber(ARGV[2 * c + 1])
  local keys, argv = {}, {}
  for j = 1, nk do keys[j] = KEYS[k + j] end
  for j = 1, na do argv[j] = ARGV[a + j] end
  k, a = k + nk, a + na
  local ok, reply = pcall(one, keys, argv)
  if not ok then
    if type(reply) == 'table' and reply.err then out[c] = {err = reply.err} else out[c] = {err = 'ERR ' .. tostring(reply)} end
  elseif reply == nil then
    out[c] = false
  else
    out[c] = reply
  end
end
return out
`;
  return { lua: wrapped, sha: createHash("sha1").update(wrapped).digest("hex") };
}
