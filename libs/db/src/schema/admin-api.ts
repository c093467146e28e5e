/** Tables owned by admin-api: identity, providers, models, settings, log channels. */
import { sql } from "drizzle-orm";
import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

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

export const models = pgTable(
  "models",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The name clients send, unique among models that are not deleted. */
    modelId: text("model_id").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (table) => [uniqueIndex("models_model_id_live").on(table.modelId).where(sql`deleted_at is null`)],
);

/** The ways a model is served: one row per (model, provider, upstream name), with its share of traffic. */
export const modelRoutes = pgTable(
  "model_routes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    providerId: uuid("provider_id")
      .notNull()
      .references(() => providers.id),
    /** The upstream's name for the model (Azure deployment, Bedrock model id). */
    upstreamModel: text("upstream_model").notNull(),
    weight: integer("weight").notNull().default(1),
    /** Lower is preferred. */
    priority: integer("priority").notNull().default(0),
    enabled: boolean("enabled").notNull().default(true),
    rpmLimit: integer("rpm_limit"),
    tpmLimit: integer("tpm_limit"),
    /** Order the admin gave the routes in (ties of priority keep it for display). */
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("model_routes_target").on(table.modelId, table.providerId, table.upstreamModel)],
);

export const logForwarders = pgTable("log_forwarders", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  /** webhook | syslog | kafka */
  kind: text("kind").notNull(),
  settings: jsonb("settings").notNull().default({}),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const mcpServers = pgTable("mcp_servers", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  /** Tools and prompts of this server are exposed as `<prefix>__<name>` on the aggregated endpoint. */
  prefix: text("prefix").notNull().unique(),
  /** streamable_http | sse | stdio */
  transport: text("transport").notNull(),
  url: text("url"),
  command: text("command"),
  args: text("args").array().notNull().default(sql`ARRAY[]::text[]`),
  /** Non-secret environment of a stdio server. */
  env: jsonb("env").notNull().default({}),
  /** AES-256-GCM ciphertext (with key id) of a JSON object: HTTP headers or secret environment. */
  secretsEncrypted: text("secrets_encrypted"),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
});
