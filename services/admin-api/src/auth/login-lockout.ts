/**
 * Progressive login lockout in Redis, per account (email) and per client address. Each failure past the threshold
 * locks for base × 2^(failures − threshold) seconds, capped; a locked key is refused without checking the password.
 * Lock expiry is compared against the caller's clock (passed in) rather than Redis TTLs, so tests can move time; the
 * Redis TTL only garbage-collects idle counters. Shared by every replica.
 */
import { sha256Hex } from "@thinkwatch/crypto";
import { defineScript, toRedisAppError } from "@thinkwatch/redis";
import type { Redis } from "ioredis";

export interface LockoutPolicy {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
}

export interface LoginLockout {
  /** Seconds until the key may try again, or 0 when it is not locked. */
  lockedFor(key: string, now: number): Promise<number>;
  /** Count one failure; returns the seconds of the lock it caused (0: none yet). */
  fail(key: string, policy: LockoutPolicy, now: number): Promise<number>;
  clear(key: string): Promise<void>;
}

export const accountLockKey = (email: string) => `auth:lockout:account:${sha256Hex(email)}`;
export const addressLockKey = (address: string) => `auth:lockout:ip:${address}`;

const FAIL_LUA = `
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local now = tonumber(ARGV[1])
local threshold = tonumber(ARGV[2])
local lockedUntil = 0
if failures >= threshold then
  local exponent = math.min(failures - threshold, 40)
  local seconds = math.min(tonumber(ARGV[3]) * (2 ^ exponent), tonumber(ARGV[4]))
  lockedUntil = now + seconds * 1000
  redis.call('HSET', KEYS[1], 'lockedUntil', string.format('%d', lockedUntil))
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return string.format('%d', lockedUntil)
`;

export function createRedisLoginLockout(redis: Redis): LoginLockout {
  const fail = defineScript<string>(redis, "tw_login_fail", FAIL_LUA, 1);
  const remaining = (lockedUntil: number, now: number) => (lockedUntil > now ? Math.ceil((lockedUntil - now) / 1000) : 0);
  return {
    async lockedFor(key, now) {
      // Redis down: the login is refused (503) rather than let through without its brute-force guard.
      const value = await redis.hget(key, "lockedUntil").catch((caught: unknown) => {
        throw toRedisAppError(caught, "login lockout");
      });
      return value === null ? 0 : remaining(Number(value), now);
    },
    async fail(key, policy, now) {
      // Counters outlive the longest lock by a day, so slow guessing still accumulates toward the next lock.
      const idleTtlMs = (policy.maxSeconds + 86_400) * 1000;
      const lockedUntil = await fail([key], [now, policy.threshold, policy.baseSeconds, policy.maxSeconds, idleTtlMs]);
      return remaining(Number(lockedUntil), now);
    },
    async clear(key) {
      await redis.del(key).catch((caught: unknown) => {
        throw toRedisAppError(caught, "login lockout");
      });
    },
  };
}
