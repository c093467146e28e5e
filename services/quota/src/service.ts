/** quota: owns rate_limit_rules (PostgreSQL) and the counters (Redis); serves quota.v1.* over NATS. */
import { connectServiceBus, natsDependency } from "@thinkwatch/bus";
import { createDb, postgresDependency } from "@thinkwatch/db";
import { defineService } from "@thinkwatch/lifecycle";
import { createRedis, redisDependency } from "@thinkwatch/redis";
import { QuotaConfigSchema } from "./config.js";
import { createRedisRateLimiter } from "./limiter/redis-rate-limiter.js";
import { registerQuotaCheck } from "./nats/quota-check.js";
import { registerQuotaRules } from "./nats/quota-rules.js";
import { createRuleCache } from "./rules/rule-cache.js";
import { createPostgresRuleStore } from "./rules/rule-store.js";

export const quotaService = defineService({
  name: "quota",
  config: QuotaConfigSchema,
  dependencies: (config) => [
    postgresDependency(config.DATABASE_URL),
    redisDependency(config.REDIS_URL),
    natsDependency(config.NATS_URL),
  ],
  async start(config, { log, instanceId, resources }) {
    const pg = createDb({ url: config.DATABASE_URL, name: "quota" });
    const keyPrefix = config.THINKWATCH_NAMESPACE === "" ? "tw:" : `tw:${config.THINKWATCH_NAMESPACE}:`;
    const redis = createRedis({ url: config.REDIS_URL, keyPrefix, log });
    const bus = await connectServiceBus(resources, {
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: `thinkwatch-${instanceId}`,
      log,
    });
    const store = createPostgresRuleStore(pg.db);
    const cache = createRuleCache(store);
    registerQuotaRules(bus, store, cache);
    registerQuotaCheck(bus, cache, createRedisRateLimiter(redis), config.QUOTA_FAIL_OPEN, log);
    return {
      ready: async () => bus.isConnected() && redis.status === "ready",
      async stop(deadlineMs) {
        await bus.close(deadlineMs);
        redis.disconnect();
        await pg.close(deadlineMs);
      },
    };
  },
});
