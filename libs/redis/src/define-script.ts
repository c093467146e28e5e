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

/** One call's outcome in a pipelined run: each call ran atomically on its own, or failed on its own. */
export type ScriptOutcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

export interface RedisScript<T> {
  (keys: readonly string[], args?: readonly ScriptArg[]): Promise<T>;
  /**
   * Several calls in one round trip (EVALSHAs written together, like a pipeline): each call is still one atomic script
   * run, in order.
   * Calls the server answers NOSCRIPT (it has not cached the script) did not run; they are sent again after SCRIPT
   * LOAD. Rejects only when Redis cannot be reached at all.
   */
  many(calls: readonly ScriptCall[]): Promise<Array<ScriptOutcome<T>>>;
  readonly scriptName: string;
  readonly sha: string;
  /** "variadic": the script takes however many keys a call passes (one per counter it touches). */
  readonly numberOfKeys: number | "variadic";
}

const SCRIPT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

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

  const run = async (keys: readonly string[], args: readonly ScriptArg[] = []): Promise<T> => {
    if (numberOfKeys !== "variadic" && keys.length !== numberOfKeys) {
      throw new AppError("internal", `Redis script ${name} takes ${numberOfKeys} keys, got ${keys.length}`);
    }
    try {
      return (await redis.evalsha(sha, keys.length, ...keys, ...args)) as T;
    } catch (caught) {
      if (!(caught instanceof Error) || !caught.message.startsWith("NOSCRIPT")) throw toRedisAppError(caught, `script ${name}`);
    }
    try {
      return (await redis.eval(lua, keys.length, ...keys, ...args)) as T;
    } catch (caught) {
      throw toRedisAppError(caught, `script ${name}`);
    }
  };
  /**
   * One EVALSHA per call, written while the socket is corked so they leave in one write: what a pipeline sends,
   * without ioredis's Pipeline object. That object defines a per-instance getter closure (`length`), which gives every
   * pipeline its own hidden class referenced from old space — so each pipeline, its commands and their arguments
   * survive young-generation GCs and get promoted (measured: ~1.6 MB promoted per scavenge at ~3k checks/s, longer
   * scavenges and frequent mark-compacts), a latency tail on the hot path.
   */
  const pipelined = async (calls: readonly ScriptCall[]): Promise<Array<[Error | null, unknown]>> => {
    const stream = redis.stream as { cork?: () => void; uncork?: () => void } | undefined;
    stream?.cork?.();
    let replies: Array<Promise<[Error | null, unknown]>>;
    try {
      replies = calls.map((call) =>
        redis.evalsha(sha, call.keys.length, ...call.keys, ...call.args).then(
          (value): [Error | null, unknown] => [null, value],
          (caught: unknown): [Error | null, unknown] => [caught instanceof Error ? caught : new Error(String(caught)), null],
        ),
      );
    } finally {
      stream?.uncork?.();
    }
    return Promise.all(replies);
  };
  const isNoScript = (error: Error | null) => error?.message.startsWith("NOSCRIPT") === true;

  const many = async (calls: readonly ScriptCall[]): Promise<Array<ScriptOutcome<T>>> => {
    if (calls.length === 0) return [];
    for (const call of calls) {
      if (numberOfKeys !== "variadic" && call.keys.length !== numberOfKeys) {
        throw new AppError("internal", `Redis script ${name} takes ${numberOfKeys} keys, got ${call.keys.length}`);
      }
    }
    let replies = await pipelined(calls);
    const missing = replies.flatMap(([error], index) => (isNoScript(error) ? [index] : []));
    if (missing.length > 0) {
      try {
        await redis.script("LOAD", lua);
      } catch (caught) {
        throw toRedisAppError(caught, `script ${name}`);
      }
      const again = await pipelined(missing.map((index) => calls[index] as ScriptCall));
      replies = replies.slice();
      missing.forEach((index, i) => {
        replies[index] = again[i] ?? [new Error("no reply"), null];
      });
    }
    return calls.map((_, index) => {
      const [error, value] = replies[index] ?? [new Error("no reply"), null];
      return error === null ? { ok: true, value: value as T } : { ok: false, error: toRedisAppError(error, `script ${name}`) };
    });
  };

  return Object.assign(run, { scriptName: name, sha, numberOfKeys, many });
}
