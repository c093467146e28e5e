/** Tables owned by admin-api: identity, providers, models, settings, log channels. */
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
/** Tables owned by admin-api: identity, providers, models, settings, log channels, the audit outbox. */

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Unique among users that are not deleted, so a deleted user's address can be given to a new account. */
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    /** argon2id; null for SSO-only users. */
    passwordHash: text("password_hash"),
    /** super_admin | admin | team_manager | developer | viewer */
    role: text("role").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("users_email_live_idx").on(t.email).where(sql`deleted_at is null`)],
);

export const systemSettings = pgTable("system_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const providers = pgTable(
  "providers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Unique among providers that are not deleted, so a deleted provider's name is free again at once. */
    name: text("name").notNull(),
    /** openai | anthropic | gemini | azure_openai | bedrock | openai_compatible */
    kind: text("kind").notNull(),
    baseUrl: text("base_url").notNull(),
    /** AES-256-GCM ciphertext with key id (@thinkwatch/crypto). */
    apiKeyEncrypted: text("api_key_encrypted"),
    /** Kind-specific settings (Azure api-version, Bedrock region/access key id, extra headers). Secrets never go here. */
    settings: jsonb("settings").notNull().default({}),
    /** Headers that carry secrets (e.g. an org token), as one AES-256-GCM ciphertext of a JSON object. */
    secretHeadersEncrypted: text("secret_headers_encrypted"),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** Soft delete: gone from every read at once, purged for good after 30 days. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (table) => [uniqueIndex("providers_name_live").on(table.name).where(sql`${table.deletedAt} is null`)],
);

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
  /** Event kinds the channel receives (EVENT_KINDS in proto); empty: every kind. */
  eventKinds: jsonb("event_kinds").$type<string[]>().notNull().default([]),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Teams: a group of users with managers; team-scoped data (keys, limits, logs) is filtered by membership. */
export const teams = pgTable("teams", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** manager | member */
    teamRole: text("team_role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

/** Custom roles: a named set of permissions from the console's vocabulary. The five built-in tiers live in code. */
export const roles = pgTable("roles", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  permissions: jsonb("permissions").$type<string[]>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Extra roles of a user beyond their built-in tier (users.role): a built-in role name or a custom role id, granted
 * globally (team_id null) or within one team.
 */
export const roleAssignments = pgTable(
  "role_assignments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** A built-in role name (super_admin…viewer) or a custom role's id. */
    roleId: text("role_id").notNull(),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("role_assignments_user_idx").on(t.userId), index("role_assignments_role_idx").on(t.roleId)],
);

/** Console sessions: one per login; the refresh tokens of one session form its rotation family. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Client address at login; with auth.sessionIpBinding the session only works from it. */
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Single-use refresh tokens, stored as SHA-256 hashes; a used one presented again revokes its session. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("refresh_tokens_session_idx").on(t.sessionId)],
);

/** Invitations: a one-time token (hash stored) with which an invited user sets their password. */
export const userInvites = pgTable(
  "user_invites",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("user_invites_user_idx").on(t.userId)],
);

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
  /** static | per_user_oauth | client_credentials */
  authMode: text("auth_mode").notNull().default("static"),
  /** OAuth client of per_user_oauth / client_credentials (null id: dynamic client registration). */
  oauthClientId: text("oauth_client_id"),
  /** AES-256-GCM ciphertext of the OAuth client secret. */
  oauthClientSecretEncrypted: text("oauth_client_secret_encrypted"),
  oauthScopes: text("oauth_scopes").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
});
/** SSO identities: which IdP subject is which local user (one row per issuer + subject). */
export const userIdentities = pgTable(
  "user_identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("user_identities_issuer_subject").on(table.issuer, table.subject)],
);
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

/**
 * Tool RBAC: an MCP tool pattern (exposed names, `*` globs: `github__*`) granted to a role (a built-in role name or
 * a custom role's id), a team or one user. Once any grant exists, a user may use only the tools their grants cover
 * (intersected with their key's own patterns); with none, tool access is governed by keys alone.
 */
export const mcpToolGrants = pgTable(
  "mcp_tool_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** role | team | user */
    subjectKind: text("subject_kind").notNull(),
    subjectId: text("subject_id").notNull(),
    pattern: text("pattern").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("mcp_tool_grants_subject_pattern_idx").on(t.subjectKind, t.subjectId, t.pattern)],
);
