/** Tables owned by key-service. Other services reach them only through keys.v1.* on NATS. */
import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** First characters of the plaintext (`tw-AbCd`), shown in lists so users can tell keys apart. */
    keyPrefix: text("key_prefix").notNull(),
    /** SHA-256 hex of the plaintext; the plaintext itself is never stored. */
    keyHash: text("key_hash").notNull().unique(),
    /** `user` or `service_account`: what kind of principal `user_id` names. */
    ownerKind: text("owner_kind").notNull().default("user"),
    /** Owner; users live in admin-api's tables, so there is deliberately no cross-owner foreign key. */
    userId: uuid("user_id").notNull(),
    teamId: uuid("team_id"),
    costCenter: text("cost_center"),
    surfaces: text("surfaces").array().notNull().default(sql`ARRAY['ai_gateway','mcp_gateway']::text[]`),
    /** Model name patterns (`gpt-4o*`); null = every model the routing table knows. */
    allowedModels: text("allowed_models").array(),
    /** MCP tool name patterns (`github__*`); null = every tool. Enforced by mcp-proxy. */
    allowedMcpTools: text("allowed_mcp_tools").array(),
    /** Refuse (400) instead of dropping what a converted request cannot carry, whatever the request header says. */
    strictConversion: boolean("strict_conversion").notNull().default(false),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** Disable the key after this many days without use; null = never. */
    inactivityTimeoutDays: integer("inactivity_timeout_days"),
    /** Rotate the key automatically this many days after it was minted; null = never. */
    rotationPeriodDays: integer("rotation_period_days"),
    /**
     * Shared by a key and every successor minted by rotation; limits and usage are counted per lineage. key-service
     * always sets it (a new lineage takes the key's id); the default only fills rows that predate lineages.
     */
    lineageId: uuid("lineage_id").notNull().default(sql`gen_random_uuid()`),
    rotatedFromId: uuid("rotated_from_id"),
    /** Set when this key was rotated: its successor, and when this key stops working. */
    supersededById: uuid("superseded_by_id"),
    graceEndsAt: timestamp("grace_ends_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** `manual`, `owner_deleted`, `team_removed`. */
    revokedReason: text("revoked_reason"),
    /** Disabled by the enforcer (inactivity). */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    /** The owner is deactivated or lost every role allowing API keys; cleared again when that is undone. */
    suspendedAt: timestamp("suspended_at", { withTimezone: true }),
    /** When the enforcer recorded the expiry (so it is recorded once). */
    expiryRecordedAt: timestamp("expiry_recorded_at", { withTimezone: true }),
    /** The smallest `expiryWarningDays` threshold already warned about. */
    expiryWarnedDays: integer("expiry_warned_days"),
    /**
     * Successor of an automatic rotation: its plaintext sealed with the keyring (AES-256-GCM) until the owner reveals
     * it once; then cleared. Never the plaintext itself.
     */
    sealedPlaintext: text("sealed_plaintext"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (table) => [
    index("api_keys_user_id_idx").on(table.userId),
    index("api_keys_lineage_id_idx").on(table.lineageId),
    index("api_keys_expires_at_idx").on(table.expiresAt),
    index("api_keys_deleted_at_idx").on(table.deletedAt),
  ],
);
