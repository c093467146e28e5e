/** PostgreSQL: drizzle schema of every table, the client factory, the migrator and the startup probe. */
export { createDb, type Database, type DbClient, type DbOptions, postgresDependency, probePostgres } from "./client.js";
export { postgresHealthCheck } from "./health-check.js";
export { migratePostgres } from "./migrate.js";
export * as tables from "./schema/index.js";
