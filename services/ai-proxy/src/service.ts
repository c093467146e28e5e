/**
 * ai-proxy: the AI APIs on the gateway port. No durable state of its own: routing and settings from KV, keys via
 * key-service, limits via quota, circuit breakers and route caps in Redis (shared by every replica).
 */
import {
  announceInstance,
  connectServiceBus,
  createOutbox,
  natsDependency,
  natsHealthCheck,
  openConfigStore,
  watchSettings,
} from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { AppError } from "@thinkwatch/errors";
import { createIntakeLimits, createKeyVerifier, createQuotaClient, watchQuotaIndex } from "@thinkwatch/gateway-auth";
import { createHttpApp } from "@thinkwatch/http";
import { defineService, serviceHealth } from "@thinkwatch/lifecycle";
import { natsRequestObserver, whenCollected } from "@thinkwatch/metrics";
import { createRedis, redisDependency, redisHealthCheck } from "@thinkwatch/redis";
import { AiProxyConfigSchema } from "./config.js";
import type { GatewayDeps } from "./deps.js";
import { handleAnthropicCountTokens } from "./http/count-tokens.js";
import { registerEmbeddingRoutes } from "./http/embeddings.js";
import { registerGenerationRoutes } from "./http/generation-routes.js";
import { registerModelRoutes } from "./http/models.js";
import { registerUsageRoute } from "./http/usage.js";
import { createBreakerObserver } from "./metrics/breaker-metrics.js";
import { createRequestObserver } from "./metrics/request-metrics.js";
import { createModelCatalog } from "./models/model-catalog.js";
import { errorResponse } from "./pipeline/inbound-api.js";
import { watchPricing } from "./pricing/pricing-watch.js";
import { createRedisCircuitBreakers } from "./routing/circuit-breakers.js";
import { createRedisRouteCaps } from "./routing/route-caps.js";
import { registerRouteHealth } from "./routing/route-health.js";
import { routingReadiness } from "./routing/routing-readiness.js";
import { watchRouting } from "./routing/routing-watch.js";
import { bindUpstreamToPolicy } from "./upstream/policy-bound-upstream.js";
import { createUpstreamHttp } from "./upstream/upstream-http.js";

export const aiProxyService = defineService({
  name: "ai-proxy",
  config: AiProxyConfigSchema,
  dependencies: (config) => [natsDependency(config.NATS_URL), redisDependency(config.REDIS_URL)],
  async start(config, { log, instanceId, resources, metrics }) {
    const bus = await connectServiceBus(resources, {
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: `thinkwatch-${instanceId}`,
      log,
      observer: natsRequestObserver(metrics),
    });
    const keyPrefix = config.THINKWATCH_NAMESPACE === "" ? "tw:" : `tw:${config.THINKWATCH_NAMESPACE}:`;
    // Reconnect attempts at most every 0.5 s: a breaker outcome or a route cap waiting on a Redis outage must fail
    // (and fail open) in about a second, not after ioredis' default back-off of up to 5 s.
    const redis = createRedis({
      url: config.REDIS_URL,
      keyPrefix,
      log,
      maxRetriesPerRequest: 1,
      connectTimeoutMs: 2000,
      maxReconnectDelayMs: 500,
    });
    const keyring = createKeyring(config.ENCRYPTION_KEY, config.ENCRYPTION_PREVIOUS_KEYS);
    const configStore = await openConfigStore(bus, log);
    const routing = await watchRouting(configStore, keyring, log);
    const pricing = await watchPricing(configStore, log);
    const quotaIndex = await watchQuotaIndex(configStore, log);
    const settings = await watchSettings(configStore, log);
    const gatewaySettings = () => settings.current().gateway;
    const upstream = bindUpstreamToPolicy(
      () =>
        createUpstreamHttp({
          // Read on every request: a change of the gateway settings applies without a restart.
          timeouts: () => {
            const g = gatewaySettings();
            return {
              connectMs: g.connectTimeoutMs,
              firstByteMs: g.firstByteTimeoutMs,
              idleMs: g.idleTimeoutMs,
              totalMs: g.totalTimeoutMs,
            };
          },
          egress: () => ({ allowPrivate: settings.current().security.allowPrivateUpstreams }),
        }),
      settings,
      log,
    );
    const outbox = createOutbox(bus, log, { batch: true });
    const unwatchDrops = whenCollected(metrics, (sources) => sources.auditDrops("ai-proxy", () => outbox.dropped()));
    const breakers = createRedisCircuitBreakers({
      redis,
      settings: gatewaySettings,
      outbox,
      log,
      onState: createBreakerObserver(metrics),
    });
    const caps = createRedisRouteCaps(redis, log);
    registerRouteHealth(bus, breakers, caps);
    const keys = createKeyVerifier(bus, {
      cacheTtlMs: () => settings.current().performance.keyCacheTtlSeconds * 1000,
      log,
    });
    const deps: GatewayDeps = {
      bus,
      keys,
      router: routing.current,
      upstream,
      routing: { upstream, breakers, caps, gatewaySettings, log },
      caps,
      intake: createIntakeLimits(gatewaySettings),
      outbox,
      log,
      maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES,
      modelCatalog: createModelCatalog(upstream, log, { ttlMs: 10 * 60_000, retryMs: 30_000, timeoutMs: 5_000 }),
      conversionDefaults: () => {
        const gateway = settings.current().gateway;
        return {
          strict: gateway.strictConversion,
          forwardMetadataUser: gateway.forwardMetadataUserId,
          responsesOnlyModels: gateway.responsesOnlyModels,
          chatReasoningViaResponses: gateway.chatReasoningViaResponses,
        };
      },
      quota: createQuotaClient(bus, log, {
        timeoutMs: config.QUOTA_CHECK_TIMEOUT_MS,
        failClosed: () => settings.current().security.rateLimitFailClosed,
      }),
      quotaIndex,
      pricing,
      observeRequest: createRequestObserver(metrics),
    };
    const health = serviceHealth(
      [natsHealthCheck(bus), { ...redisHealthCheck(redis), critical: false }],
      routingReadiness(routing),
    );
    const announcement = announceInstance(bus, {
      service: "ai-proxy",
      process: instanceId,
      health: health.health,
      extra: () => ({ gatewayWindow: metrics.enabled ? metrics.gatewayWindow.summary() : null }),
    });

    const app = createHttpApp({
      log,
      traceScope: "ai-proxy",
      formatError: (error, c) => errorResponse("openai_chat", error, c.get("requestId")),
    });
    app.post("/v1/messages/count_tokens", (c) => handleAnthropicCountTokens(c, deps));
    registerGenerationRoutes(app, deps);
    registerModelRoutes(app, deps);
    registerEmbeddingRoutes(app, deps);
    registerUsageRoute(app, deps);
    app.notFound((c) =>
      errorResponse("openai_chat", new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`), c.get("requestId")),
    );

    return {
      http: { listener: "gateway", paths: ["/v1/*", "/v1beta/*"], app },
      ...health,
      async stop(deadlineMs) {
        announcement.stop();
        unwatchDrops();
        routing.stop();
        pricing.stop();
        quotaIndex.stop();
        settings.stop();
        await keys.stop();
        await outbox.flush(deadlineMs);
        await upstream.close();
        redis.disconnect();
        await bus.close(deadlineMs);
      },
    };
  },
});
