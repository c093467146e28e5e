/**
 * The Redis client services use: an ioredis client whose commands all carry a key prefix (the namespace), so test
 * runs and co-located installations never touch each other's keys.
 *
 * The prefix applies to every key argument ioredis knows to be a key, including a Lua script's KEYS array — but not
 * to key names a script builds itself (`redis.call("GET", "x:" .. ARGV[1])`). Pass every key through KEYS.
 */
import type { Logger } from "@thinkwatch/log";
import { Redis } from "ioredis";

export interface RedisOptions {
  url: string;
  /** Prepended to every key, e.g. `"thinkwatch:"`; may be empty. */
  keyPrefix: string;
  log?: Logger;
  /**
   * Reconnect attempts a command waits through before it fails (default 2): a gateway request should fail fast
   * rather than queue behind a Redis outage.
   */
  maxRetriesPerRequest?: number;
  connectTimeoutMs?: number;
  /**
   * The longest wait between reconnect attempts (default: ioredis's own, which backs off to 5 s). A command queued
   * during an outage waits for the next attempt(s) before it fails, so a service that must fail fast caps it.
   */
  maxReconnectDelayMs?: number;
}

export function createRedis(options: RedisOptions): Redis {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 2,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    ...(options.maxReconnectDelayMs === undefined
      ? {}
      : {
          retryStrategy: (times: number) =>
            Math.min(2 ** Math.min(times - 1, 16) * 50, options.maxReconnectDelayMs as number) + Math.floor(Math.random() * 50),
        }),
  });
  const log = options.log?.child({ component: "redis" });
  let lastError = "";
  // Without a listener ioredis prints every reconnect failure to stderr; commands still reject on their own.
  redis.on("error", (error: Error) => {
    // One line per distinct failure, not one per reconnect attempt.
    if (error.message === lastError) return;
    lastError = error.message;
    log?.warn({ err: error }, "redis connection error");
  });
  redis.on("ready", () => {
    if (lastError !== "") log?.info("redis connection restored");
    lastError = "";
  });
  return redis;
}
