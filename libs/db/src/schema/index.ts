/** Every PostgreSQL table, grouped by the service that owns it (see DESIGN.md: a service owns its tables). */
export * from "./admin-api.js";
export * from "./key-service.js";
export * from "./model-pricing.js";
export * from "./quota.js";
