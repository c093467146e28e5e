/** Startup check for Redis: connect once (no retries) and expect PONG. */

import { redactUrl } from "@thinkwatch/config";
import { AppError } from "@thinkwatch/errors";
import { Redis } from "ioredis";

function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

export async function probeRedis(url: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const where = safeUrl(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.timeoutMs ?? 3000,
    commandTimeout: options.timeoutMs ?? 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let connectionError: Error | undefined;
  redis.on("error", (error: Error) => {
    connectionError = error;
  });
  try {
    try {
      await redis.connect();
    } catch (caught) {
      const reason = (connectionError ?? (caught as Error)).message;
      throw new AppError("unavailable", `Redis at ${where} is not reachable: ${reason}`, { cause: caught, retryable: true });
    }
    let reply: string;
    try {
      reply = await redis.ping();
    } catch (caught) {
      throw new AppError(
        "unavailable",
        `Redis at ${where} accepted the connection but PING failed: ${(caught as Error).message}`,
        { cause: caught },
      );
    }
    if (reply !== "PONG") throw new AppError("unavailable", `Redis at ${where} answered PING with ${JSON.stringify(reply)}`);
  } finally {
    redis.disconnect();
  }
}

/** The startup dependency entry for REDIS_URL. */
export function redisDependency(url: string) {
  return {
    variable: "REDIS_URL",
    describe: `Redis at ${redactUrl(url)}`,
    remedy: "Start Redis or point REDIS_URL at a running server (npm start brings up a local one).",
    check: () => probeRedis(url),
  };
}
