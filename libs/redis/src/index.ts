/** Redis for ThinkWatch: a prefixed ioredis client, a startup probe and Lua scripts with NOSCRIPT fallback. */
export { createRedis, type RedisOptions } from "./create-redis.js";
export {
  defineScript,
  MAX_CALLS_PER_RUN,
  type RedisScript,
  type ScriptArg,
  type ScriptCall,
  type ScriptOutcome,
} from "./define-script.js";
export { redisHealthCheck } from "./health-check.js";
export { probeRedis, redisDependency } from "./probe.js";
export { toRedisAppError } from "./redis-error.js";
