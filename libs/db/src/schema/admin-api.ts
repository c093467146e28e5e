/** Tables owned by admin-api: identity, providers, models, settings, log channels, the audit outbox. */
import { bigserial, boolean, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  displayName: text("display_name").notNull(),
  /** argon2id; null for SSO-only users. */
  passwordHash: text("password_hash"),
  /** super_admin | admin | team_manager | developer | viewer */
  role: text("role").notNull(),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
});

export const systemSettings = pgTable("system_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const providers = pgTable("providers", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  /** openai | anthropic | gemini | azure_openai | bedrock | openai_compatible */
  kind: text("kind").notNull(),
  baseUrl: text("base_url").notNull(),
  /** AES-256-GCM ciphertext with key id (@thinkwatch/crypto). */
  apiKeyEncrypted: text("api_key_encrypted"),
  /** Kind-specific settings (Azure api-version, Bedrock region/access key id, extra headers). Secrets never go here. */
  settings: jsonb("settings").notNull().default({}),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
});

export const models = pgTable("models", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** The name clients send, unique across providers. */
  modelId: text("model_id").notNull().unique(),
  providerId: uuid("provider_id")
    .notNull()
    .references(() => providers.id),
  /** The upstream's name for it (Azure deployment, Bedrock model id); defaults to model_id. */
  upstreamModel: text("upstream_model").notNull(),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const logForwarders = pgTable("log_forwarders", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  /** webhook | syslog | kafka */
  kind: text("kind").notNull(),
  settings: jsonb("settings").notNull().default({}),
  /** Event kinds the channel receives (EVENT_KINDS in proto); empty: every kind. */
  eventKinds: jsonb("event_kinds").$type<string[]>().notNull().default([]),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Transactional outbox of audit records: written in the same transaction as the admin change it describes, then
 * published to the AUDIT stream (Nats-Msg-Id = event id, so a re-publish after a crash is stored once) and deleted.
 */
export const auditOutbox = pgTable("audit_outbox", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  eventId: uuid("event_id").notNull().unique(),
  subject: text("subject").notNull(),
  payload: jsonb("payload").notNull(),
  attempts: integer("attempts").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
