/** /api/health: latency of the console's own dependencies (the observability issue extends it to every instance). */
import type { DbClient } from "@thinkwatch/db";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";

export function registerHealthRoutes(router: ConsoleRouter, deps: AdminDeps, pg: DbClient): void {
  router.route("GET", "/api/health", "health:read", async (c) => {
    const started = performance.now();
    await pg.sql`select 1`;
    const postgresMs = performance.now() - started;
    return c.json({
      status: "ok",
      postgres: { latencyMs: Math.round(postgresMs * 10) / 10 },
      nats: { connected: deps.bus.isConnected() },
    });
  });
}
