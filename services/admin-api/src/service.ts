/** admin-api: the console API on :3001. Owns identity and configuration; publishes read-models to the config KV. */
import { connectServiceBus, natsDependency, openConfigStore } from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { createDb, postgresDependency } from "@thinkwatch/db";
import { createHttpApp } from "@thinkwatch/http";
import { defineService } from "@thinkwatch/lifecycle";
import { cors } from "hono/cors";
import { createTokenIssuer } from "./auth/tokens.js";
import { AdminApiConfigSchema } from "./config.js";
import type { AdminDeps } from "./deps.js";
import { registerAuthRoutes } from "./http/auth.js";
import { registerConsoleStatic } from "./http/console-static.js";
import { registerKeyRoutes } from "./http/keys.js";
import { registerLimitRoutes } from "./http/limits.js";
import { registerLogForwarderRoutes } from "./http/log-forwarders.js";
import { registerProviderRoutes } from "./http/providers.js";
import { registerSetupRoutes } from "./http/setup.js";
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
    const deps: AdminDeps = {
      bus,
      log,
      keyring: createKeyring(config.ENCRYPTION_KEY, config.ENCRYPTION_PREVIOUS_KEYS),
      tokens: createTokenIssuer(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS),
      users: createPostgresUserStore(pg.db),
      settings: createPostgresSettingsStore(pg.db),
      providers,
      routing: createRoutingPublisher(providers, configStore),
      channels: createChannelStore(pg.db, configStore),
    };
    // The KV read-models are derived data: rebuild them at start so a wiped or new NATS converges immediately.
    await deps.routing.publish();
    await deps.channels.publish();

    const app = createHttpApp({ log });
    const origins = config.CORS_ORIGINS.split(",")
      .map((o) => o.trim())
      .filter(Boolean);
    if (origins.length > 0) app.use("/api/*", cors({ origin: origins, credentials: true }));
    registerSetupRoutes(app, deps);
    registerAuthRoutes(app, deps);
    registerProviderRoutes(app, deps);
    registerKeyRoutes(app, deps);
    registerLimitRoutes(app, deps);
    registerLogForwarderRoutes(app, deps);
    app.get("/api/health", async (c) => {
      const started = performance.now();
      await pg.sql`select 1`;
      const postgresMs = performance.now() - started;
      return c.json({
        status: "ok",
        postgres: { latencyMs: Math.round(postgresMs * 10) / 10 },
        nats: { connected: bus.isConnected() },
      });
    });

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
        await bus.close(deadlineMs);
        await pg.close(deadlineMs);
      },
    };
  },
});
