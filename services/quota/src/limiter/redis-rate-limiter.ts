/**
 * Sliding-window limits in Redis: each (subject, rule) is a hash of 60 buckets of window/60 seconds. One Lua call
 * checks every rule of a request and increments all of them only if none would be exceeded (all-or-nothing, atomic
 * across replicas). Time comes from Redis so replicas with skewed clocks agree.
 */
import type { Redis } from "ioredis";
import type { LimitDecision, RateLimiter, RuleApplication } from "./rate-limiter.js";

const BUCKETS = 60;

// KEYS: one hash per rule. ARGV: amount, then (limit, bucket_ms) per rule.
// Returns {0} when allowed, or {rule_index (1-based), retry_after_ms} for the first rule that refuses.
const SLIDING_WINDOW_LUA = `
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local amount = tonumber(ARGV[1])
local buckets = ${BUCKETS}
local current = {}
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local bucket_ms = tonumber(ARGV[2 * i + 1])
  local now_bucket = math.floor(now_ms / bucket_ms)
  local oldest = now_bucket - buckets + 1
  local fields = redis.call('HGETALL', KEYS[i])
  local sum = 0
  local oldest_used = now_bucket
  for j = 1, #fields, 2 do
    local bucket = tonumber(fields[j])
    if bucket < oldest then
      redis.call('HDEL', KEYS[i], fields[j])
    else
      sum = sum + tonumber(fields[j + 1])
      if bucket < oldest_used then oldest_used = bucket end
    end
  end
  if sum + amount > limit then
    local retry_ms = (oldest_used + buckets) * bucket_ms - now_ms
    if retry_ms < 1 then retry_ms = 1 end
    return {i, retry_ms}
  end
  current[i] = now_bucket
end
for i = 1, #KEYS do
  local bucket_ms = tonumber(ARGV[2 * i + 1])
  redis.call('HINCRBY', KEYS[i], current[i], amount)
  redis.call('PEXPIRE', KEYS[i], bucket_ms * (buckets + 1))
end
return {0}
`;

type SlidingWindowCommand = (numKeys: number, ...args: Array<string | number>) => Promise<number[]>;

export function createRedisRateLimiter(redis: Redis): RateLimiter {
  redis.defineCommand("twSlidingWindow", { lua: SLIDING_WINDOW_LUA });
  const run = (redis as unknown as { twSlidingWindow: SlidingWindowCommand }).twSlidingWindow.bind(redis);

  return {
    async consume(applications, amount) {
      const active = applications.filter((a) => a.rule.enabled);
      if (active.length === 0) return { allowed: true };
      const keys = active.map(counterKey);
      const args: number[] = [amount];
      for (const application of active) args.push(application.rule.limit, (application.rule.windowSeconds * 1000) / BUCKETS);
      const [index, retryAfterMs] = await run(keys.length, ...keys, ...args);
      if (index === 0 || index === undefined) return { allowed: true };
      const rejectedBy = active[index - 1] as RuleApplication;
      return { allowed: false, rejectedBy, retryAfterSeconds: Math.ceil((retryAfterMs ?? 1000) / 1000) } satisfies LimitDecision;
    },
  };
}

function counterKey(application: RuleApplication): string {
  const { subject, rule } = application;
  return `rl:${subject.kind}:${subject.id}:${rule.surface}:${rule.metric}:${rule.windowSeconds}`;
}
