/** ClickHouse for ThinkWatch: a small client, client-side parameter binding, UTC dates, migrations, probes, rows. */
export { type AuditLogRow, AuditLogRowSchema, type AuditTable, auditRecordToRow, auditTableOf } from "./audit-log-row.js";
export { type SqlParams, sql } from "./bind.js";
export { type ClickHouse, type ClickHouseOptions, createClickHouse } from "./client.js";
export { toClickHouseAppError } from "./client-error.js";
export { MAX_DATETIME_MS, parseClickHouseDateTime, toClickHouseDate, toClickHouseDateTime } from "./datetime.js";
export {
  GATEWAY_LOGS_TABLE,
  type GatewayLogRow,
  GatewayLogRowSchema,
  gatewayEventToRow,
} from "./gateway-log-row.js";
export { clickhouseHealthCheck } from "./health-check.js";
export { type McpLogRow, McpLogRowSchema, mcpEventToRow } from "./mcp-log-row.js";
export { type MigrationReport, migrateClickHouse } from "./migrate.js";
export { type MigrationFile, readMigrationFiles, splitStatements } from "./migration-files.js";
export { clickhouseDependency, type ProbeClickHouseOptions, probeClickHouse } from "./probe.js";
export { rowLimitsOf } from "./row-limits.js";
export { quoteString } from "./string-literal.js";
export { quoteIdentifier, type SqlValue } from "./typed-literal.js";
