/**
 * @thinkwatch/console-api — the console API's request and response schemas (valibot), one file per area. admin-api
 * validates with them and generates its OpenAPI document from them; console-web takes its types from them, so a
 * type is written once. Pure schemas: no Node or browser APIs.
 */
export * from "./auth.js";
export * from "./errors.js";
export * from "./header-rules.js";
export * from "./health.js";
export * from "./keys.js";
export * from "./limits.js";
export * from "./log-forwarders.js";
export * from "./logs.js";
export * from "./mcp.js";
export * from "./models.js";
export * from "./providers.js";
export * from "./roles.js";
export * from "./settings.js";
export * from "./setup.js";
export * from "./sso.js";
export * from "./teams.js";
export * from "./text.js";
export * from "./users.js";
