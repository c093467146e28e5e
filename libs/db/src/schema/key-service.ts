/** Tables owned by key-service. Other services reach them only through keys.v1.* on NATS. */
import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** First characters of the plaintext (`tw-AbCd`), shown in lists so users can tell keys apart. */
    keyPrefix: text("key_prefix").notNull(),
    /** SHA-256 hex of the plaintext; the plaintext itself is never stored. */
    keyHash: text("key_hash").notNull().unique(),
    /** Owner; users live in admin-api's tables, so there is deliberately no cross-owner foreign key. */
    userId: uuid("user_id").notNull(),
    teamId: uuid("team_id"),
    surfaces: text("surfaces").array().notNull().default(sql`ARRAY['ai_gateway','mcp_gateway']::text[]`),
    /** null = every model the routing table knows. */
    allowedModels: text("allowed_models").array(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (table) => [index("api_keys_user_id_idx").on(table.userId)],
);
