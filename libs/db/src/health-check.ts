/** The PostgreSQL health check of a service: one `select 1` through its pool, and the pool's size. */
import type { DbClient } from "./client.js";

export function postgresHealthCheck(pg: DbClient, maxConnections = 10) {
  return {
    name: "postgres",
    check: () => pg.sql`select 1`.then(() => undefined),
    stats: () => ({ maxConnections }),
  };
}
