/**
 * mcp-proxy: one MCP endpoint on the gateway port for every upstream MCP server a caller may use. Stateless apart
 * from live sessions, which any replica can rebuild from shared storage; the server registry comes from the config
 * KV; tool calls are rate-limited by quota (only when the rule index says a rule can apply) and audited through the
 * outbox; admin-api asks it to test servers and list the catalog.
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
import { createIntakeLimits, createKeyVerifier, createQuotaClient, watchQuotaIndex } from "@thinkwatch/gateway-auth";
import { createHttpApp } from "@thinkwatch/http";
import { defineService, serviceHealth } from "@thinkwatch/lifecycle";
import { natsRequestObserver, whenCollected } from "@thinkwatch/metrics";
import { createRedis, redisDependency, redisHealthCheck } from "@thinkwatch/redis";
import { publishToolCall, toolCallEvent } from "./audit/tool-call-audit.js";
import { McpProxyConfigSchema } from "./config.js";
import { rpcErrorFromAppError } from "./http/json-rpc.js";
import { registerMcpEndpoint } from "./http/mcp-endpoint.js";
import { PROTECTED_RESOURCE_PATH, registerProtectedResource } from "./http/protected-resource.js";
import { createStatelessRevision } from "./http/stateless-revision.js";
import { createToolCallObserver, createUpstreamHealthBoard } from "./metrics/mcp-metrics.js";
import { registerMcpAdmin } from "./nats/mcp-admin.js";
import { watchToolGrants } from "./policy/tool-grants-watch.js";
import { watchServerRegistry } from "./registry/registry-watch.js";
import { createRedisEventStore } from "./session/redis-event-store.js";
import { SessionManager } from "./session/session-manager.js";
import { createSessionRelay } from "./session/session-relay.js";
import { openSessionStore } from "./session/session-store.js";
import { createUpstreamFetch } from "./upstream/upstream-fetch.js";
import { createUpstreamAuth } from "./upstream/user-oauth.js";

export const mcpProxyService = defineService({
  name: "mcp-proxy",
  config: McpProxyConfigSchema,
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
    const redis = createRedis({ url: config.REDIS_URL, keyPrefix, log, maxRetriesPerRequest: 1, connectTimeoutMs: 2000 });
    const keyring = createKeyring(config.ENCRYPTION_KEY, config.ENCRYPTION_PREVIOUS_KEYS);
    const configStore = await openConfigStore(bus, log);
    const settings = await watchSettings(configStore, log);
    const keys = createKeyVerifier(bus, {
      cacheTtlMs: () => settings.current().performance.keyCacheTtlSeconds * 1000,
      log,
    });
    const registry = await watchServerRegistry(configStore, keyring, log);
    const quotaIndex = await watchQuotaIndex(configStore, log);
    const quota = createQuotaClient(bus, log, {
      timeoutMs: config.QUOTA_CHECK_TIMEOUT_MS,
      failClosed: () => settings.current().security.rateLimitFailClosed,
    });
    const outbox = createOutbox(bus, log, { batch: true });
    const unwatchDrops = whenCollected(metrics, (sources) => sources.auditDrops("mcp-proxy", () => outbox.dropped()));
    const upstreamHealth = createUpstreamHealthBoard(metrics);
    const observeToolCall = createToolCallObserver(metrics);
    const http = createUpstreamFetch(
      () => ({ allowPrivate: settings.current().security.allowPrivateUpstreams }),
      config.MCP_UPSTREAM_CONNECT_TIMEOUT_MS,
      upstreamHealth.report,
    );
    const upstreamAuth = await createUpstreamAuth(bus, keyring, log, http.oauthFetch);
    const grants = await watchToolGrants(configStore, log);
    const relay = createSessionRelay(bus, log);
    const sessions = new SessionManager({
      relay,
      events: createRedisEventStore(redis, { maxEvents: config.MCP_SSE_EVENTS_MAX, ttlMs: config.MCP_SSE_EVENTS_TTL_MS }),
      store: await openSessionStore(bus, config.MCP_SESSION_TTL_MS),
      registry,
      log,
      idleMs: config.MCP_SESSION_IDLE_MS,
      connectTimeoutMs: config.MCP_UPSTREAM_CONNECT_TIMEOUT_MS,
      callTimeoutMs: config.MCP_TOOL_CALL_TIMEOUT_MS,
      http,
      upstreamAuth,
      grants,
      onToolCall: (outcome) => {
        observeToolCall(outcome);
        publishToolCall(outbox, toolCallEvent(outcome), outcome.trace);
      },
    });
    const unwatchSessions = whenCollected(metrics, (sources) => sources.mcpSessions(() => sessions.counts()));
    const stateless = createStatelessRevision(sessions, registry, { quota, quotaIndex }, log, config.MCP_TOOL_CALL_TIMEOUT_MS, {
      replica: relay.replica,
      bus,
    });
    grants.onChange(() => stateless.toolsChanged());
    registerMcpAdmin(bus, registry, keyring, log, config.MCP_UPSTREAM_CONNECT_TIMEOUT_MS, http, upstreamAuth);

    const app = createHttpApp({
      log,
      traceScope: "mcp-proxy",
      formatError: (error, c) => c.json(rpcErrorFromAppError(error), error.status as 400),
    });
    registerProtectedResource(app);
    registerMcpEndpoint(app, {
      keys,
      sessions,
      registry,
      stateless,
      allowedOrigins: config.CORS_ORIGINS.split(",")
        .map((o) => o.trim())
        .filter(Boolean),
      keepAliveMs: 15_000,
      intake: createIntakeLimits(() => settings.current().gateway),
      quota: { quota, quotaIndex },
    });
    // Without Redis only resumption suffers (events go out without ids): not critical.
    const health = serviceHealth([natsHealthCheck(bus), { ...redisHealthCheck(redis), critical: false }]);
    const announcement = announceInstance(bus, {
      service: "mcp-proxy",
      process: instanceId,
      health: health.health,
      extra: () => ({ mcpUpstreams: upstreamHealth.snapshot(registry.servers().map((s) => s.name)) }),
    });
    return {
      http: {
        listener: config.MCP_LISTENER,
        paths: ["/mcp", "/mcp/*", PROTECTED_RESOURCE_PATH, `${PROTECTED_RESOURCE_PATH}/*`],
        app,
      },
      ...health,
      async stop(deadlineMs) {
        announcement.stop();
        unwatchDrops();
        unwatchSessions();
        registry.stop();
        grants.stop();
        quotaIndex.stop();
        upstreamAuth.stop();
        settings.stop();
        await stateless.close();
        await sessions.closeAll();
        relay.close();
        await http.close();
        await keys.stop();
        await outbox.flush(deadlineMs);
        redis.disconnect();
        await bus.close(deadlineMs);
      },
    };
  },
});
