/**
 * Per-route requests-per-minute and tokens-per-minute caps, counted in Redis across every ai-proxy replica (fixed
 * one-minute windows). A route at its cap is skipped — the next route serves — rather than failing the request.
 *
 * Why not quota: quota's rules are about callers (keys, users, teams, providers) and are being reworked; a route cap
 * is a property of the routing table that only the router consults, so the router owns this small counter. Routes
 * without caps cost nothing (no Redis call).
 */
import type { Logger } from "@thinkwatch/log";
import { defineScript } from "@thinkwatch/redis";
import type { Redis } from "ioredis";
import type { Route } from "./model-router.js";

/** KEYS: request counter, token counter. ARGV: rpm limit (-1: none), tpm limit (-1: none). 1: taken, 0: capped. */
const TAKE = `
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
if tpm >= 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= tpm then return 0 end
if rpm >= 0 then
  if tonumber(redis.call('GET', KEYS[1]) or '0') >= rpm then return 0 end
  redis.call('INCR', KEYS[1])
  redis.call('EXPIRE', KEYS[1], 120)
end
return 1
`;

export interface RouteCaps {
  /**
   * Counts one request against the route; false when the route is at a cap (nothing counted then). Synchronous for a
   * route without caps.
   */
  take(route: Route): boolean | Promise<boolean>;
  /** Tokens a finished request used, for routes with a tokens-per-minute cap. */
  addTokens(route: Route, tokens: number): void;
  usage(routeIds: readonly string[]): Promise<Map<string, { requests: number; tokens: number }>>;
}

const minute = (now: number) => Math.floor(now / 60_000);
const requestKey = (routeId: string, m: number) => `cap:${routeId}:r:${m}`;
const tokenKey = (routeId: string, m: number) => `cap:${routeId}:t:${m}`;

export function createRedisRouteCaps(redis: Redis, log: Logger, now: () => number = Date.now): RouteCaps {
  const take = defineScript<number>(redis, "route_cap_take", TAKE, 2);
  const takeCapped = async (route: Route): Promise<boolean> => {
    const m = minute(now());
    try {
      return (await take([requestKey(route.id, m), tokenKey(route.id, m)], [route.rpmLimit ?? -1, route.tpmLimit ?? -1])) === 1;
    } catch (caught) {
      // A cap protects an upstream's quota, not the gateway: without Redis, serve rather than refuse.
      log.warn({ err: caught, route: route.id }, "route cap unavailable; the route serves uncapped");
      return true;
    }
  };
  return {
    take(route) {
      if (route.rpmLimit === null && route.tpmLimit === null) return true;
      return takeCapped(route);
    },
    addTokens(route, tokens) {
      if (route.tpmLimit === null || tokens <= 0) return;
      const key = tokenKey(route.id, minute(now()));
      redis
        .multi()
        .incrby(key, tokens)
        .expire(key, 120)
        .exec()
        .catch((caught: unknown) => log.warn({ err: caught, route: route.id }, "cannot count route tokens"));
    },
    async usage(routeIds) {
      const m = minute(now());
      const pipeline = redis.pipeline();
      for (const id of routeIds) pipeline.get(requestKey(id, m)).get(tokenKey(id, m));
      const results = (await pipeline.exec()) ?? [];
      const out = new Map<string, { requests: number; tokens: number }>();
      routeIds.forEach((id, index) => {
        const requests = results[index * 2]?.[1];
        const tokens = results[index * 2 + 1]?.[1];
        out.set(id, { requests: Number(requests ?? 0), tokens: Number(tokens ?? 0) });
      });
      return out;
    },
  };
}
