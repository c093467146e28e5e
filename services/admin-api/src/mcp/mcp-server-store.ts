/**
 * Upstream MCP servers in PostgreSQL (soft delete) and their compiled registry in the config KV bucket, which every
 * mcp-proxy replica watches. Secrets (headers, secret environment) are encrypted with the keyring and never leave
 * this module in clear: reads return only their names.
 */
import type { ConfigStore } from "@thinkwatch/bus";
import type { McpOAuthInput, McpServerInput, McpServerPatch, McpServerView } from "@thinkwatch/console-api";
import type { Keyring } from "@thinkwatch/crypto";
import { type Database, tables } from "@thinkwatch/db";
import { checkUpstreamUrl, type EgressPolicy } from "@thinkwatch/egress";
import { AppError } from "@thinkwatch/errors";
import { CONFIG_KEYS, type McpServerEntry } from "@thinkwatch/proto";
import { and, asc, eq, isNull } from "drizzle-orm";

type Row = typeof tables.mcpServers.$inferSelect;

export interface McpServerStore {
  create(input: McpServerInput): Promise<McpServerView>;
  list(): Promise<McpServerView[]>;
  find(id: string): Promise<McpServerView | null>;
  update(id: string, patch: McpServerPatch): Promise<{ before: McpServerView; after: McpServerView }>;
  softDelete(id: string): Promise<McpServerView>;
  /** The registry entry of a saved server, or of an input not saved yet (for the test button). */
  entryOf(id: string): Promise<McpServerEntry | null>;
  entryFromInput(input: McpServerInput): McpServerEntry;
  publish(): Promise<void>;
}

export function defaultPrefix(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_{2,}/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 32);
  return cleaned === "" ? "mcp" : cleaned;
}

function secretsOf(input: { headers?: Record<string, string>; secretEnv?: Record<string, string> }): Record<string, string> {
  return { ...(input.headers ?? {}), ...(input.secretEnv ?? {}) };
}

function checkTransport(input: { transport: string; url?: string | null; command?: string | null }, egress: EgressPolicy): void {
  const fields: Record<string, string> = {};
  if (input.transport === "stdio" && (input.command ?? null) === null) fields.command = "a stdio server needs a command";
  if (input.transport !== "stdio") {
    const url = input.url ?? null;
    if (url === null) fields.url = `a ${input.transport} server needs a url`;
    else {
      // The same egress policy as provider URLs; mcp-proxy checks the resolved address again at connect time.
      const verdict = checkUpstreamUrl(url, egress);
      if (!verdict.allowed) fields.url = `url ${verdict.reason}`;
    }
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError("validation_failed", `invalid MCP server: ${Object.values(fields).join("; ")}`, { details: { fields } });
  }
}

/** OAuth modes need an HTTP upstream (its metadata names the authorization server); client credentials need a client. */
function checkAuth(input: { transport: string; authMode?: string; oauth?: McpOAuthInput | null }): void {
  const mode = input.authMode ?? "static";
  if (mode === "static") return;
  const fields: Record<string, string> = {};
  if (input.transport === "stdio") fields.authMode = `${mode} needs an HTTP transport, not stdio`;
  if (mode === "client_credentials" && (input.oauth?.clientId ?? null) === null) {
    fields["oauth.clientId"] = "client_credentials needs a client id";
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError("validation_failed", `invalid MCP server: ${Object.values(fields).join("; ")}`, { details: { fields } });
  }
}

function oauthColumns(keyring: Keyring, mode: string, oauth: McpOAuthInput | null | undefined) {
  const used = mode === "static" ? null : (oauth ?? null);
  return {
    authMode: mode,
    oauthClientId: used?.clientId ?? null,
    oauthClientSecretEncrypted: used?.clientSecret == null ? null : keyring.encrypt(used.clientSecret),
    oauthScopes: used?.scopes ?? "",
  };
}

function uniqueViolation(caught: unknown, input: { name?: string; prefix?: string }): AppError | null {
  const error = caught as { code?: string; detail?: string; cause?: { code?: string; detail?: string } };
  if ((error.cause?.code ?? error.code) !== "23505") return null;
  const detail = error.cause?.detail ?? error.detail ?? "";
  return new AppError(
    "conflict",
    detail.includes("prefix")
      ? `an MCP server with the prefix '${input.prefix}' already exists`
      : `an MCP server named '${input.name}' already exists`,
  );
}

export function createMcpServerStore(
  db: Database,
  keyring: Keyring,
  config: ConfigStore,
  egress: () => EgressPolicy,
): McpServerStore {
  const { mcpServers } = tables;
  const secretNames = (row: Row): string[] =>
    row.secretsEncrypted === null ? [] : Object.keys(JSON.parse(keyring.decrypt(row.secretsEncrypted)) as object).sort();
  const view = (row: Row): McpServerView => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    transport: row.transport as McpServerView["transport"],
    url: row.url,
    command: row.command,
    args: row.args,
    env: row.env as Record<string, string>,
    secretNames: safeSecretNames(row),
    enabled: row.enabled,
    authMode: row.authMode as McpServerView["authMode"],
    oauth:
      row.authMode === "static"
        ? null
        : { clientId: row.oauthClientId, hasClientSecret: row.oauthClientSecretEncrypted !== null, scopes: row.oauthScopes },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });
  function safeSecretNames(row: Row): string[] {
    try {
      return secretNames(row);
    } catch {
      return ["(cannot decrypt: check ENCRYPTION_KEY)"];
    }
  }
  const toEntry = (row: Row): McpServerEntry => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    transport: row.transport as McpServerEntry["transport"],
    url: row.url,
    command: row.command,
    args: row.args,
    env: row.env as Record<string, string>,
    secretsEncrypted: row.secretsEncrypted,
    enabled: row.enabled,
    authMode: row.authMode as McpServerEntry["authMode"],
    oauth:
      row.authMode === "static"
        ? null
        : { clientId: row.oauthClientId, clientSecretEncrypted: row.oauthClientSecretEncrypted, scopes: row.oauthScopes },
  });
  const live = (id: string) => and(eq(mcpServers.id, id), isNull(mcpServers.deletedAt));
  const findRow = async (id: string) => (await db.select().from(mcpServers).where(live(id)).limit(1))[0] ?? null;
  let lastRevision = 0;

  return {
    async create(input) {
      checkTransport(input, egress());
      checkAuth(input);
      const secrets = secretsOf(input);
      const prefix = input.prefix ?? defaultPrefix(input.name);
      try {
        const [row] = await db
          .insert(mcpServers)
          .values({
            name: input.name,
            prefix,
            transport: input.transport,
            url: input.url ?? null,
            command: input.command ?? null,
            args: input.args,
            env: input.env,
            secretsEncrypted: Object.keys(secrets).length === 0 ? null : keyring.encrypt(JSON.stringify(secrets)),
            enabled: input.enabled,
            ...oauthColumns(keyring, input.authMode, input.oauth),
          })
          .returning();
        if (row === undefined) throw new Error("insert returned no row");
        return view(row);
      } catch (caught) {
        throw uniqueViolation(caught, { name: input.name, prefix }) ?? caught;
      }
    },
    async list() {
      const rows = await db.select().from(mcpServers).where(isNull(mcpServers.deletedAt)).orderBy(asc(mcpServers.prefix));
      return rows.map(view);
    },
    async find(id) {
      const row = await findRow(id);
      return row === null ? null : view(row);
    },
    async update(id, patch) {
      const row = await findRow(id);
      if (row === null) throw new AppError("not_found", `no MCP server with id ${id}`);
      const merged = {
        transport: patch.transport ?? row.transport,
        url: patch.url === undefined ? row.url : patch.url,
        command: patch.command === undefined ? row.command : patch.command,
      };
      checkTransport(merged, egress());
      const authMode = patch.authMode ?? row.authMode;
      // A patch that names the auth mode or the OAuth client replaces the stored OAuth settings as a whole.
      const replaceAuth = patch.authMode !== undefined || patch.oauth !== undefined;
      const oauth =
        patch.oauth !== undefined
          ? patch.oauth
          : row.oauthClientId === null
            ? null
            : { clientId: row.oauthClientId, clientSecret: null, scopes: row.oauthScopes };
      if (replaceAuth) checkAuth({ transport: merged.transport, authMode, oauth });
      // The client secret is write-only: a patch that does not resend it keeps it, unless the client itself changes.
      const sameClient = patch.oauth == null || (patch.oauth.clientSecret === null && patch.oauth.clientId === row.oauthClientId);
      const keptSecret = patch.oauth !== null && sameClient && authMode !== "static" ? row.oauthClientSecretEncrypted : null;
      const replaceSecrets = patch.headers !== undefined || patch.secretEnv !== undefined;
      const secrets = secretsOf(patch);
      try {
        const [updated] = await db
          .update(mcpServers)
          .set({
            ...(patch.name === undefined ? {} : { name: patch.name }),
            ...(patch.prefix === undefined ? {} : { prefix: patch.prefix }),
            ...merged,
            ...(patch.args === undefined ? {} : { args: patch.args }),
            ...(patch.env === undefined ? {} : { env: patch.env }),
            ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
            ...(replaceAuth
              ? {
                  ...oauthColumns(keyring, authMode, oauth),
                  ...(keptSecret === null ? {} : { oauthClientSecretEncrypted: keptSecret }),
                }
              : {}),
            ...(replaceSecrets
              ? { secretsEncrypted: Object.keys(secrets).length === 0 ? null : keyring.encrypt(JSON.stringify(secrets)) }
              : {}),
            updatedAt: new Date(),
          })
          .where(live(id))
          .returning();
        if (updated === undefined) throw new AppError("not_found", `no MCP server with id ${id}`);
        return { before: view(row), after: view(updated) };
      } catch (caught) {
        throw uniqueViolation(caught, { name: patch.name ?? row.name, prefix: patch.prefix ?? row.prefix }) ?? caught;
      }
    },
    async softDelete(id) {
      // The name and prefix are freed for reuse; the row stays (deleted) for the audit trail until the purge.
      const [row] = await db
        .update(mcpServers)
        .set({
          deletedAt: new Date(),
          enabled: false,
          name: `deleted-${id}`,
          prefix: `deleted_${id.replace(/-/g, "").slice(0, 20)}`,
        })
        .where(live(id))
        .returning();
      if (row === undefined) throw new AppError("not_found", `no MCP server with id ${id}`);
      return view(row);
    },
    async entryOf(id) {
      const row = await findRow(id);
      return row === null ? null : toEntry(row);
    },
    entryFromInput(input) {
      checkTransport(input, egress());
      checkAuth(input);
      const auth = oauthColumns(keyring, input.authMode, input.oauth);
      const secrets = secretsOf(input);
      return {
        id: "unsaved",
        name: input.name,
        prefix: input.prefix ?? defaultPrefix(input.name),
        transport: input.transport,
        url: input.url ?? null,
        command: input.command ?? null,
        args: input.args,
        env: input.env,
        secretsEncrypted: Object.keys(secrets).length === 0 ? null : keyring.encrypt(JSON.stringify(secrets)),
        enabled: true,
        authMode: input.authMode,
        oauth:
          input.authMode === "static"
            ? null
            : { clientId: auth.oauthClientId, clientSecretEncrypted: auth.oauthClientSecretEncrypted, scopes: auth.oauthScopes },
      };
    },
    async publish() {
      const rows = await db.select().from(mcpServers).where(isNull(mcpServers.deletedAt)).orderBy(asc(mcpServers.prefix));
      lastRevision = Math.max(Date.now(), lastRevision + 1);
      await config.put(CONFIG_KEYS.mcpServers, { revision: lastRevision, servers: rows.map(toEntry) });
    },
  };
}
