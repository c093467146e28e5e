/**
 * The MCP gateway's contracts: the registry of upstream MCP servers admin-api compiles into the config KV bucket,
 * and the requests admin-api makes of mcp-proxy (test a server, list the aggregated catalog), since only mcp-proxy
 * speaks MCP to upstreams; and the relay between mcp-proxy replicas that lets any replica serve any session.
 */
import * as v from "valibot";
import { eventContract, requestContract } from "./contract.js";

export const McpTransportSchema = v.picklist(["streamable_http", "sse", "stdio"]);
export type McpTransport = v.InferOutput<typeof McpTransportSchema>;

/** `[a-z0-9_]`, so `<prefix>__<tool>` stays a valid MCP tool name. */
export const McpPrefixSchema = v.pipe(
  v.string(),
  v.regex(/^[a-z0-9_]{1,32}$/, "prefix must be 1-32 characters of a-z, 0-9 and _"),
  v.check((p) => !p.includes("__"), "prefix must not contain a double underscore"),
);

/**
 * How the gateway authenticates to an upstream: `static` (the secret headers / environment), `per_user_oauth` (each
 * user's own OAuth tokens, linked once from the console) or `client_credentials` (one service-account token).
 */
export const McpAuthModeSchema = v.picklist(["static", "per_user_oauth", "client_credentials"]);
export type McpAuthMode = v.InferOutput<typeof McpAuthModeSchema>;

export const McpOAuthSettingsSchema = v.object({
  /** null: dynamic client registration (per_user_oauth only). */
  clientId: v.nullable(v.string()),
  /** AES-256-GCM ciphertext of the client secret; null for a public client. */
  clientSecretEncrypted: v.nullable(v.string()),
  /** Space-separated scopes to ask for; empty: the authorization server's default. */
  scopes: v.string(),
});
export type McpOAuthSettings = v.InferOutput<typeof McpOAuthSettingsSchema>;

export const McpServerEntrySchema = v.object({
  id: v.string(),
  name: v.string(),
  prefix: McpPrefixSchema,
  transport: McpTransportSchema,
  /** streamable_http / sse: the endpoint URL. */
  url: v.nullable(v.string()),
  /** stdio: the command, its arguments and environment (values of `envEncrypted` are secrets). */
  command: v.nullable(v.string()),
  args: v.array(v.string()),
  env: v.record(v.string(), v.string()),
  /** AES-256-GCM ciphertext of a JSON object: secret environment (stdio) or headers (HTTP); edges decrypt it. */
  secretsEncrypted: v.nullable(v.string()),
  enabled: v.boolean(),
  /** Optional so registries published before auth modes existed still parse (as `static`). */
  authMode: v.optional(McpAuthModeSchema, "static"),
  oauth: v.optional(v.nullable(McpOAuthSettingsSchema), null),
});
export type McpServerEntry = v.InferOutput<typeof McpServerEntrySchema>;

/**
 * Tool RBAC compiled for the edges: each user's granted tool patterns (through their roles, teams and own grants).
 * `enforced` is false while no grant exists: then keys alone decide. A user missing from `users` has no grants.
 */
export const McpToolGrantsReadModelSchema = v.object({
  revision: v.number(),
  enforced: v.boolean(),
  users: v.record(v.string(), v.array(v.string())),
});
export type McpToolGrantsReadModel = v.InferOutput<typeof McpToolGrantsReadModelSchema>;

export const McpRegistrySchema = v.object({ revision: v.number(), servers: v.array(McpServerEntrySchema) });
export type McpRegistry = v.InferOutput<typeof McpRegistrySchema>;

export const McpToolInfoSchema = v.object({
  server: v.string(),
  serverId: v.string(),
  /** The name clients of the aggregated endpoint see: `<prefix>__<name>` (shortened to 64 characters if needed). */
  exposedName: v.string(),
  name: v.string(),
  title: v.nullable(v.string()),
  description: v.nullable(v.string()),
});
export type McpToolInfo = v.InferOutput<typeof McpToolInfoSchema>;

/** What a server test found: what the server offers, or why it could not be reached. */
export const McpServerTestResultSchema = v.object({
  ok: v.boolean(),
  error: v.nullable(v.string()),
  serverInfo: v.nullable(v.object({ name: v.string(), version: v.string() })),
  protocolVersion: v.nullable(v.string()),
  tools: v.array(McpToolInfoSchema),
  prompts: v.number(),
  resources: v.number(),
  latencyMs: v.number(),
});
export type McpServerTestResult = v.InferOutput<typeof McpServerTestResultSchema>;

/** Connect to one server (registered or about to be) with the given settings and list what it offers. */
export const McpServerTest = requestContract(
  "mcp.v1.servers.test",
  v.object({
    server: McpServerEntrySchema,
    /** The console user running the test: a per-user OAuth server is tested with their own linked account. */
    userId: v.optional(v.string()),
  }),
  McpServerTestResultSchema,
);

/** Every enabled server's tools, and the servers that could not be listed. */
export const McpCatalogResultSchema = v.object({
  tools: v.array(McpToolInfoSchema),
  errors: v.array(v.object({ server: v.string(), error: v.string() })),
});
export type McpCatalogResult = v.InferOutput<typeof McpCatalogResultSchema>;

/** The tools of every enabled server, as an admin sees them (no per-user filtering). */
export const McpCatalog = requestContract(
  "mcp.v1.catalog",
  /** `userId`: the console user asking; per-user OAuth servers are listed with their linked account. */
  v.object({ userId: v.optional(v.string()) }),
  McpCatalogResultSchema,
);

/**
 * One JSON-RPC message of a downstream MCP session relayed between mcp-proxy replicas (no sticky routing): the
 * replica that received it over HTTP is not the one holding what it belongs to.
 */
export const McpSessionRelaySchema = v.object({
  sessionId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,128}$/)),
  message: v.record(v.string(), v.unknown()),
  /** The SSE event id of a message for a session's GET stream (kept for resumption). */
  eventId: v.optional(v.pipe(v.string(), v.maxLength(256))),
});
export type McpSessionRelay = v.InferOutput<typeof McpSessionRelaySchema>;

/** A replica's inbox: the client's answers to server→client requests that replica sent (their ids name it). */
export function mcpReplicaInbox(replica: string) {
  return eventContract(`mcp.v1.relay.replica.${replica}`, McpSessionRelaySchema);
}

/** A client's cancellation of a request another replica is running: every replica checks its own. */
export const McpCancelRelay = eventContract("mcp.v1.relay.cancel", McpSessionRelaySchema);

/** Server→client messages for a session's standalone GET stream, to whichever replica holds it open. */
export function mcpSessionStream(sessionId: string) {
  return eventContract(`mcp.v1.relay.stream.${sessionId}`, McpSessionRelaySchema);
}

/**
 * A stateless (2026-07-28) call held on one replica while the client answers an upstream's question (its
 * input_required result): the client's retry may reach another replica, which sends the reply to the holder and
 * passes on what comes next — the result, another input_required, or the JSON-RPC error.
 */
export function mcpStatelessResume(replica: string) {
  return requestContract(
    `mcp.v1.stateless.resume.${replica}`,
    v.object({ keyId: v.string(), token: v.string(), reply: v.record(v.string(), v.unknown()) }),
    v.variant("kind", [
      v.object({ kind: v.literal("answer"), result: v.record(v.string(), v.unknown()) }),
      v.object({ kind: v.literal("error"), code: v.number(), message: v.string(), data: v.optional(v.unknown()) }),
    ]),
  );
}
