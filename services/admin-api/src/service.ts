/** admin-api: the console API on :3001. Owns identity and configuration; publishes read-models to the config KV. */
import {
  announceInstance,
  connectServiceBus,
  createOutbox,
  natsDependency,
  natsHealthCheck,
  openConfigStore,
  watchSettings,
} from "@thinkwatch/bus";
import { clickhouseHealthCheck, createClickHouse } from "@thinkwatch/clickhouse";
import { createKeyring } from "@thinkwatch/crypto";
import { createDb, postgresDependency, postgresHealthCheck } from "@thinkwatch/db";
import { createEgressFetch } from "@thinkwatch/egress";
import { createHttpApp } from "@thinkwatch/http";
import { defineService, type RunningService, type ServiceContext, serviceHealth } from "@thinkwatch/lifecycle";
import { natsRequestObserver, whenCollected } from "@thinkwatch/metrics";
import { createRedis, redisDependency, redisHealthCheck } from "@thinkwatch/redis";
import { createPostgresAuditRecorder } from "./audit/audit-recorder.js";
import { startOutboxPublisher } from "./audit/outbox-publisher.js";
import { createAccessCache } from "./auth/access-cache.js";
import { createPostgresAccessStore } from "./auth/access-store.js";
import { createSessionAuthorizer } from "./auth/authorizer.js";
import { type Clock, systemClock } from "./auth/clock.js";
import { createRedisLoginLockout } from "./auth/login-lockout.js";
import { createTokenIssuer } from "./auth/tokens.js";
import { type AdminApiConfig, AdminApiConfigSchema } from "./config.js";
import type { AdminDeps } from "./deps.js";
import { registerAuthRoutes } from "./http/auth.js";
import { registerAuthProfileRoutes } from "./http/auth-profile.js";
import { registerAuthSessionRoutes } from "./http/auth-session.js";
import { createClientAddressResolver } from "./http/client-address.js";
import { parseOrigins, registerConsoleHardening } from "./http/console-hardening.js";
import { createConsoleRouter, type DeclaredRoute } from "./http/console-router.js";
import { registerConsoleStatic } from "./http/console-static.js";
import { registerHealthRoutes } from "./http/health.js";
import { registerKeyRoutes } from "./http/keys.js";
import { registerLimitRoutes } from "./http/limits.js";
import { registerLogForwarderRoutes } from "./http/log-forwarders.js";
import { registerLogRoutes } from "./http/logs.js";
import { registerMcpOAuthLinkRoutes } from "./http/mcp-oauth-link.js";
import { registerMcpServerRoutes } from "./http/mcp-servers.js";
import { registerMcpToolGrantRoutes } from "./http/mcp-tool-grants.js";
import { registerModelPricingRoutes } from "./http/model-pricing.js";
import { registerModelRoutes } from "./http/models.js";
import { registerOpenApiRoute } from "./http/openapi.js";
import { registerProviderRoutes } from "./http/providers.js";
import { registerRoleRoutes } from "./http/roles.js";
import { registerSettingsRoutes } from "./http/settings.js";
import { registerSetupRoutes } from "./http/setup.js";
import { registerSsoAdminRoutes } from "./http/sso-admin.js";
import { registerSsoAuthRoutes } from "./http/sso-auth.js";
import { registerTeamMemberRoutes } from "./http/team-members.js";
import { registerTeamRoutes } from "./http/teams.js";
import { registerUserAdminRoutes } from "./http/user-admin.js";
import { registerUserRoleRoutes } from "./http/user-roles.js";
import { registerUserRoutes } from "./http/users.js";
import { createIdentityEvents } from "./identity/identity-events.js";
import { createMcpOAuthLinker } from "./mcp/mcp-oauth-linker.js";
import { createMcpServerStore } from "./mcp/mcp-server-store.js";
import { createMcpToolGrantStore } from "./mcp/mcp-tool-grant-store.js";
import { createPostgresPricingStore } from "./pricing/pricing-store.js";
import { createPostgresModelStore } from "./providers/model-store.js";
import { createPostgresProviderStore } from "./providers/provider-store.js";
import { createChannelStore } from "./publish/channel-store.js";
import { createPricingPublisher } from "./publish/pricing-publisher.js";
import { createRoutingPublisher } from "./publish/routing-publisher.js";
import { createMcpServerPurger } from "./purge/mcp-server-purge.js";
import { createModelPurger } from "./purge/model-purge.js";
import { createProviderPurger } from "./purge/provider-purge.js";
import { createPostgresRoleStore } from "./roles/role-store.js";
import { createPostgresSessionStore } from "./sessions/session-store.js";
import { createPostgresIdentityStore } from "./sso/identity-store.js";
import { createOidcDiscoveryCache, IDP_EGRESS_POLICY } from "./sso/oidc-discovery.js";
import { createPostgresSsoConfigStore } from "./sso/sso-config-store.js";
import { createPostgresTeamStore } from "./teams/team-store.js";
import { createPostgresInviteStore } from "./users/invite-store.js";
import { createPostgresSettingsStore } from "./users/settings-store.js";
import { createPostgresUserStore } from "./users/user-store.js";

export interface AdminApiOptions {
  /** Time source for tokens, sessions, lockouts and invitations (tests pass a fake clock). */
  clock?: Clock;
}

export async function startAdminApi(
  config: AdminApiConfig,
  { log, instanceId, resources, metrics }: ServiceContext,
  options: AdminApiOptions = {},
): Promise<RunningService & { routes(): readonly DeclaredRoute[] }> {
  const clock = options.clock ?? systemClock;
  const pg = createDb({ url: config.DATABASE_URL, name: "admin-api" });
  const keyPrefix = config.THINKWATCH_NAMESPACE === "" ? "tw:" : `tw:${config.THINKWATCH_NAMESPACE}:`;
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix, log });
  const bus = await connectServiceBus(resources, {
    url: config.NATS_URL,
    namespace: config.THINKWATCH_NAMESPACE,
    name: `thinkwatch-${instanceId}`,
    log,
    observer: natsRequestObserver(metrics),
  });
  const configStore = await openConfigStore(bus, log);
  const providers = createPostgresProviderStore(pg.db);
  const models = createPostgresModelStore(pg.db);
  const outbox = createOutbox(bus, log);
  const unwatchDrops = whenCollected(metrics, (sources) => sources.auditDrops("admin-api", () => outbox.dropped()));
  const tokens = createTokenIssuer(config.JWT_SECRET, clock);
  const pricingStore = createPostgresPricingStore(pg.db);
  const clickhouse = createClickHouse({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DB,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    log,
  });
  const auditOutbox = await startOutboxPublisher(pg.db, pg.sql, bus, log);
  const sessions = createPostgresSessionStore(pg.db);
  const accessStore = createPostgresAccessStore(pg.db);
  const access = createAccessCache({ access: accessStore, sessions, clock });
  const settings = createPostgresSettingsStore(pg.db, configStore);
  const users = createPostgresUserStore(pg.db);
  // The KV read-models are derived data: rebuild them at start so a wiped or new NATS converges immediately.
  await settings.publish();
  const liveSettings = await watchSettings(configStore, log);
  // Requests made on an upstream's or the IdP's behalf (OAuth and OIDC discovery, tokens) pass the egress policy too.
  const upstreamEgress = createEgressFetch({
    policy: () => ({ allowPrivate: liveSettings.current().security.allowPrivateUpstreams }),
  });
  const idpEgress = createEgressFetch({ policy: () => IDP_EGRESS_POLICY });
  const deps: AdminDeps = {
    bus,
    config: configStore,
    log,
    keyring: createKeyring(config.ENCRYPTION_KEY, config.ENCRYPTION_PREVIOUS_KEYS),
    clock,
    tokens,
    authorizer: createSessionAuthorizer({ tokens, cache: access, settings: liveSettings, clock }),
    access,
    identity: createIdentityEvents({ bus, cache: access, access: accessStore, sessions, clock, log }),
    lockout: createRedisLoginLockout(redis),
    sessions,
    invites: createPostgresInviteStore(pg.db),
    audit: createPostgresAuditRecorder(pg.db, outbox, log),
    users,
    teams: createPostgresTeamStore(pg.db),
    roles: createPostgresRoleStore(pg.db),
    settings,
    liveSettings,
    providers,
    models,
    routing: createRoutingPublisher(providers, models, configStore, () => users.isInitialized()),
    channels: createChannelStore(pg.db, configStore),
    sso: createPostgresSsoConfigStore(pg.db),
    identities: createPostgresIdentityStore(pg.db),
    oidc: createOidcDiscoveryCache(idpEgress.fetch),
    clickhouse,
    pricingStore,
    pricing: createPricingPublisher(pricingStore, configStore),
  };
  await deps.routing.publish();
  await deps.channels.publish();
  const mcpServers = createMcpServerStore(pg.db, deps.keyring, configStore, () => ({
    allowPrivate: liveSettings.current().security.allowPrivateUpstreams,
  }));
  await mcpServers.publish();
  const toolGrants = createMcpToolGrantStore(pg.db, configStore);
  await toolGrants.publish();
  // Role and team changes are made elsewhere; republishing often keeps the compiled grants in step with them.
  const toolGrantRefresh = setInterval(
    () => void toolGrants.publish().catch((caught: unknown) => log.warn({ err: caught }, "cannot republish MCP tool grants")),
    15_000,
  );
  toolGrantRefresh.unref();
  await deps.pricing.publish();
  const purger = createProviderPurger(pg.db, log);
  purger.start(3_600_000);
  const modelPurger = createModelPurger(pg.db, log);
  modelPurger.start(3_600_000);
  const mcpLinker = await createMcpOAuthLinker(bus, deps.keyring, upstreamEgress.fetch);
  const mcpPurger = createMcpServerPurger(pg.db, log, (id) => mcpLinker.forgetServer(id));
  mcpPurger.start(3_600_000);

  const app = createHttpApp({ log, traceScope: "admin-api" });
  registerConsoleHardening(app, { corsOrigins: parseOrigins(config.CORS_ORIGINS) });
  const router = createConsoleRouter(deps.authorizer, { clientAddress: createClientAddressResolver(liveSettings) });
  registerSetupRoutes(router, deps);
  registerAuthRoutes(router, deps);
  registerSsoAuthRoutes(router, deps);
  registerSsoAdminRoutes(router, deps);
  registerAuthSessionRoutes(router, deps);
  registerAuthProfileRoutes(router, deps);
  registerUserRoutes(router, deps);
  registerUserAdminRoutes(router, deps);
  registerUserRoleRoutes(router, deps);
  registerTeamRoutes(router, deps);
  registerTeamMemberRoutes(router, deps);
  registerRoleRoutes(router, deps);
  registerProviderRoutes(router, deps);
  registerModelRoutes(router, deps);
  registerKeyRoutes(router, deps);
  registerLimitRoutes(router, deps);
  registerModelPricingRoutes(router, deps);
  registerLogForwarderRoutes(router, deps);
  registerLogRoutes(router, deps);
  registerSettingsRoutes(router, deps);
  registerMcpServerRoutes(router, deps, mcpServers);
  registerMcpToolGrantRoutes(router, deps, toolGrants);
  registerMcpOAuthLinkRoutes(router, deps, mcpServers, mcpLinker, config.PUBLIC_URL);
  const health = serviceHealth([
    natsHealthCheck(bus),
    postgresHealthCheck(pg),
    redisHealthCheck(redis),
    // Only the log explorer and analytics read ClickHouse: the console works without it.
    { ...clickhouseHealthCheck(clickhouse), critical: false },
  ]);
  const announcement = announceInstance(bus, { service: "admin-api", process: instanceId, health: health.health });
  registerHealthRoutes(router, deps, {
    health: health.health,
    mcpServers: async () => (await mcpServers.list()).filter((s) => s.enabled).map((s) => s.name),
    metricsEnabled: metrics.enabled,
  });
  registerOpenApiRoute(router);
  app.route("/", router.app);

  if (!registerConsoleStatic(app, config.CONSOLE_WEB_DIR)) {
    log.warn({ dir: config.CONSOLE_WEB_DIR }, "console-web is not built; the console API works, the pages do not");
  }

  return {
    http: { listener: "console", paths: ["/api/*", "/", "/*"], app },
    routes: () => router.routes(),
    ...health,
    async stop(deadlineMs) {
      announcement.stop();
      unwatchDrops();
      purger.stop();
      modelPurger.stop();
      clearInterval(toolGrantRefresh);
      mcpPurger.stop();
      deps.identity.stop();
      liveSettings.stop();
      await auditOutbox.stop(deadlineMs);
      await outbox.flush(deadlineMs);
      await bus.close(deadlineMs);
      redis.disconnect();
      await pg.close(deadlineMs);
      await clickhouse.close();
      await Promise.all([upstreamEgress.close(), idpEgress.close()]);
    },
  };
}

export const adminApiService = defineService({
  name: "admin-api",
  config: AdminApiConfigSchema,
  dependencies: (config) => [
    postgresDependency(config.DATABASE_URL),
    redisDependency(config.REDIS_URL),
    natsDependency(config.NATS_URL),
  ],
  start: (config, context) => startAdminApi(config, context),
});
