/**
 * @thinkwatch/proto — the single source of every message that crosses NATS: subjects, payload schemas, error codes.
 * Changes inside a version are additive only.
 */

export * from "./audit.js";
export * from "./bus-error.js";
export * from "./config-kv.js";
export * from "./contract.js";
export * from "./dead-letter.js";
export * from "./identity.js";
export * from "./instances.js";
export * from "./keys.js";
export * from "./log-channels.js";
export * from "./mcp.js";
export * from "./mcp-log.js";
export * from "./mcp-oauth.js";
export * from "./quota.js";
export * from "./routing.js";
export * from "./schema-check.js";
export * from "./settings.js";
export * from "./streams.js";
