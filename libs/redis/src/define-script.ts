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

export interface RedisScript<T> {
  (keys: readonly string[], args?: readonly ScriptArg[]): Promise<T>;
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
  return Object.assign(run, { scriptName: name, sha, numberOfKeys });
}
