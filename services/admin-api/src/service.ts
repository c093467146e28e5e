/** admin-api: the console API on :3001. Owns identity and configuration; publishes read-models to the config KV. */
import { connectServiceBus, createOutbox, natsDependency, openConfigStore } from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { createDb, postgresDependency } from "@thinkwatch/db";
import { createHttpApp } from "@thinkwatch/http";
import { defineService } from "@thinkwatch/lifecycle";
import { cors } from "hono/cors";
import { createOutboxAuditRecorder } from "./audit/audit-recorder.js";
import { createTokenAuthorizer } from "./auth/authorizer.js";
import { createTokenIssuer } from "./auth/tokens.js";
import { AdminApiConfigSchema } from "./config.js";
import type { AdminDeps } from "./deps.js";
import { registerAuthRoutes } from "./http/auth.js";
import { createConsoleRouter } from "./http/console-router.js";
import { registerConsoleStatic } from "./http/console-static.js";
import { registerHealthRoutes } from "./http/health.js";
import { registerKeyRoutes } from "./http/keys.js";
import { registerLimitRoutes } from "./http/limits.js";
import { registerLogForwarderRoutes } from "./http/log-forwarders.js";
import { registerMcpServerRoutes } from "./http/mcp-servers.js";
import { registerModelRoutes } from "./http/models.js";
import { registerProviderRoutes } from "./http/providers.js";
import { registerSettingsRoutes } from "./http/settings.js";
import { registerSetupRoutes } from "./http/setup.js";
import { createMcpServerStore } from "./mcp/mcp-server-store.js";
import { createPostgresModelStore } from "./providers/model-store.js";
import { createPostgresProviderStore } from "./providers/provider-store.js";
import { createChannelStore } from "./publish/channel-store.js";
import { createRoutingPublisher } from "./publish/routing-publisher.js";
import { createPostgresSettingsStore } from "./users/settings-store.js";
import { createPostgresUserStore } from "./users/user-store.js";

export const adminApiService = defineService({
  name: "admin-api",
  config: AdminApiConfigSchema,
  dependencies: (config) => [postgresDependency(config.DATABASE_URL), natsDependency(config.NATS_URL)],
  async start(config, { log, instanceId, resources }) {
    const pg = createDb({ url: config.DATABASE_URL, name: "admin-api" });
    const bus = await connectServiceBus(resources, {
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: `thinkwatch-${instanceId}`,
      log,
    });
    const configStore = await openConfigStore(bus, log);
    const providers = createPostgresProviderStore(pg.db);
    const models = createPostgresModelStore(pg.db);
    const outbox = createOutbox(bus, log);
    const tokens = createTokenIssuer(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);
    const deps: AdminDeps = {
      bus,
      config: configStore,
      log,
      keyring: createKeyring(config.ENCRYPTION_KEY, config.ENCRYPTION_PREVIOUS_KEYS),
      tokens,
      authorizer: createTokenAuthorizer(tokens),
      audit: createOutboxAuditRecorder(outbox),
      users: createPostgresUserStore(pg.db),
      settings: createPostgresSettingsStore(pg.db, configStore),
      providers,
      models,
      routing: createRoutingPublisher(providers, models, configStore),
      channels: createChannelStore(pg.db, configStore),
    };
    // The KV read-models are derived data: rebuild them at start so a wiped or new NATS converges immediately.
    await deps.routing.publish();
    await deps.channels.publish();
    await deps.settings.publish();
    const mcpServers = createMcpServerStore(pg.db, deps.keyring, configStore);
    await mcpServers.publish();

    const app = createHttpApp({ log });
    const origins = config.CORS_ORIGINS.split(",")
      .map((o) => o.trim())
      .filter(Boolean);
    if (origins.length > 0) app.use("/api/*", cors({ origin: origins, credentials: true }));
    const router = createConsoleRouter(deps.authorizer);
    registerSetupRoutes(router, deps);
    registerAuthRoutes(router, deps);
    registerProviderRoutes(router, deps);
    registerModelRoutes(router, deps);
    registerKeyRoutes(router, deps);
    registerLimitRoutes(router, deps);
    registerLogForwarderRoutes(router, deps);
    registerSettingsRoutes(router, deps);
    registerMcpServerRoutes(router, deps, mcpServers);
    registerHealthRoutes(router, deps, pg);
    app.route("/", router.app);

    if (!registerConsoleStatic(app, config.CONSOLE_WEB_DIR)) {
      log.warn({ dir: config.CONSOLE_WEB_DIR }, "console-web is not built; the console API works, the pages do not");
    }

    return {
      http: { listener: "console", paths: ["/api/*", "/", "/*"], app },
      ready: async () => {
        if (!bus.isConnected()) return false;
        await pg.sql`select 1`;
        return true;
      },
      async stop(deadlineMs) {
        await outbox.flush(deadlineMs);
        await bus.close(deadlineMs);
        await pg.close(deadlineMs);
      },
    };
  },
});
