/**
 * quota: owns rate_limit_rules and budget_caps (PostgreSQL) and the counters (Redis); serves quota.v1.* over NATS,
 * settles gateway usage post-flight from the AUDIT stream, and publishes the rule index edges read.
 */
import {
  announceInstance,
  connectServiceBus,
  consumerLag,
  createDeadLetters,
  createOutbox,
  natsDependency,
  natsHealthCheck,
  openConfigStore,
  watchSettings,
} from "@thinkwatch/bus";
import { createDb, postgresDependency, postgresHealthCheck } from "@thinkwatch/db";
import { defineService, serviceHealth } from "@thinkwatch/lifecycle";
import { natsRequestObserver, whenCollected } from "@thinkwatch/metrics";
import { CONSUMERS, STREAMS } from "@thinkwatch/proto";
import { createRedis, redisDependency, redisHealthCheck } from "@thinkwatch/redis";
import { createBudgetAlerter } from "./accounting/budget-alerts.js";
import { startUsageAccounting } from "./accounting/usage-consumer.js";
import { QuotaConfigSchema } from "./config.js";
import { createQuotaEngine } from "./engine/quota-engine.js";
import { createLimitCache } from "./limits/limit-cache.js";
import { createPostgresLimitStore } from "./limits/limit-store.js";
import { createRuleIndexPublisher } from "./limits/rule-index.js";
import { countingAlerts, createCheckObserver } from "./metrics/quota-metrics.js";
import { registerQuotaCheck } from "./nats/quota-check.js";
import { registerQuotaLimits } from "./nats/quota-limits.js";
import { registerQuotaUsage } from "./nats/quota-usage.js";

export const quotaService = defineService({
  name: "quota",
  config: QuotaConfigSchema,
  dependencies: (config) => [
    postgresDependency(config.DATABASE_URL),
    redisDependency(config.REDIS_URL),
    natsDependency(config.NATS_URL),
  ],
  async start(config, { log, instanceId, resources, metrics }) {
    const pg = createDb({ url: config.DATABASE_URL, name: "quota" });
    const keyPrefix = config.THINKWATCH_NAMESPACE === "" ? "tw:" : `tw:${config.THINKWATCH_NAMESPACE}:`;
    // One reconnect attempt per command, at most ~half a second apart: a check must fail fast (and apply the fail
    // policy) during a Redis outage. With ioredis's own backoff (up to 5 s between attempts) a check then waited up to
    // ~10 s for its fail-open answer, past the edges' own timeout.
    const redis = createRedis({
      url: config.REDIS_URL,
      keyPrefix,
      log,
      maxRetriesPerRequest: 1,
      connectTimeoutMs: 1000,
      maxReconnectDelayMs: 500,
    });
    const bus = await connectServiceBus(resources, {
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: `thinkwatch-${instanceId}`,
      log,
      observer: natsRequestObserver(metrics),
    });
    const configStore = await openConfigStore(bus, log);
    const settings = await watchSettings(configStore, log);
    const clock = Date.now;
    const store = createPostgresLimitStore(pg.db);
    const cache = createLimitCache(store);
    const index = createRuleIndexPublisher(store, configStore);
    const engine = createQuotaEngine({
      redis,
      reservationTtlMs: config.QUOTA_RESERVATION_TTL_SECONDS * 1000,
      markerTtlMs: config.QUOTA_SETTLED_MEMORY_SECONDS * 1000,
    });
    const outbox = createOutbox(bus, log);
    // Derived data: rebuild it at start so a wiped or new NATS converges at once.
    await index.publish();
    registerQuotaLimits({ bus, store, cache, index });
    registerQuotaCheck({ bus, cache, engine, settings, clock, log, observe: createCheckObserver(metrics) });
    registerQuotaUsage(bus, cache, engine);
    const deadLetters = createDeadLetters(bus, CONSUMERS.quotaUsage, log);
    const accounting = await startUsageAccounting({
      bus,
      cache,
      engine,
      alerter: countingAlerts(createBudgetAlerter(outbox, log), metrics),
      clock,
      log,
      deadLetters,
    });
    const unwatch = whenCollected(metrics, (sources) => {
      const drops = sources.auditDrops("quota", () => outbox.dropped());
      const dead = sources.deadLetters(CONSUMERS.quotaUsage, () => deadLetters.total());
      const lag = sources.consumerLag(
        STREAMS.audit.name,
        CONSUMERS.quotaUsage,
        consumerLag(bus, STREAMS.audit.name, CONSUMERS.quotaUsage),
      );
      return () => {
        drops();
        dead();
        lag();
      };
    });
    const health = serviceHealth([
      natsHealthCheck(bus),
      postgresHealthCheck(pg),
      // Checks keep being answered under the fail policy while Redis is away: report it, stay ready.
      { ...redisHealthCheck(redis), critical: false },
    ]);
    const announcement = announceInstance(bus, { service: "quota", process: instanceId, health: health.health });
    return {
      ...health,
      async stop(deadlineMs) {
        announcement.stop();
        unwatch();
        await accounting.stop(deadlineMs);
        await outbox.flush(deadlineMs);
        settings.stop();
        await bus.close(deadlineMs);
        redis.disconnect();
        await pg.close(deadlineMs);
      },
    };
  },
});
