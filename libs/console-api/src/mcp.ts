/** /api/mcp/servers and /api/mcp/tools: upstream MCP servers and the aggregated tool catalog. */
import * as v from "valibot";
import { headerProblems } from "./header-rules.js";

/** What mcp-proxy answers for a server test and the tool catalog (GET /api/mcp/tools), passed on as they are. */
export {
  type McpCatalogResult,
  McpCatalogResultSchema,
  type McpServerTestResult,
  McpServerTestResultSchema,
  type McpToolInfo,
  McpToolInfoSchema,
} from "@thinkwatch/proto";

const Name = v.pipe(
  v.string("name is required"),
  v.trim(),
  v.minLength(1, "name is required"),
  v.maxLength(100),
  v.regex(/^[^\0]*$/, "name may not contain NUL"),
);
const Prefix = v.pipe(
  v.string(),
  v.regex(/^[a-z0-9_]{1,32}$/, "prefix must be 1-32 characters of a-z, 0-9 and _"),
  v.check((p) => !p.includes("__"), "prefix must not contain a double underscore"),
);
const HttpUrl = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(2000),
  v.check((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
    } catch {
      return false;
    }
  }, "must be an http(s) URL without user:password"),
);
/** The same header rules as a provider's secret headers (header-rules.ts), every problem named with its header. */
const describeHeaderProblems = (headers: Record<string, unknown>) =>
  Object.entries(headerProblems("headers", headers, "secret"))
    .map(([field, problem]) => `${field}: ${problem}`)
    .join("; ");
const SecretHeaders = v.pipe(
  v.record(v.string(), v.string()),
  v.check(
    (headers) => describeHeaderProblems(headers) === "",
    (issue) => describeHeaderProblems(issue.input as Record<string, unknown>),
  ),
);
const EnvName = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,100}$/, "not a valid environment variable name"));
const EnvValue = v.pipe(v.string(), v.maxLength(8000), v.regex(/^[^\0]*$/, "environment values may not contain NUL"));

export const McpTransportInputSchema = v.picklist(["streamable_http", "sse", "stdio"]);
export const McpAuthModeInputSchema = v.picklist(["static", "per_user_oauth", "client_credentials"]);

/** OAuth client settings of a per_user_oauth or client_credentials server; the secret is stored encrypted. */
export const McpOAuthInputSchema = v.object({
  /** Omitted for per_user_oauth: the gateway registers itself with the authorization server (RFC 7591). */
  clientId: v.optional(
    v.nullable(
      v.pipe(
        v.string(),
        v.trim(),
        v.minLength(1),
        v.maxLength(500),
        v.regex(/^[\x21-\x7e]+$/, "client id must be printable ASCII"),
      ),
    ),
    null,
  ),
  clientSecret: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(2000), v.regex(/^[^\r\n\0]*$/))), null),
  scopes: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(1000),
      v.regex(/^[\x21\x23-\x5b\x5d-\x7e ]*$/, "scopes must be space-separated scope tokens"),
    ),
    "",
  ),
});
export type McpOAuthInput = v.InferOutput<typeof McpOAuthInputSchema>;

const McpServerFields = {
  name: Name,
  /** Defaults to the name, lowercased, with other characters as `_`. */
  prefix: Prefix,
  transport: McpTransportInputSchema,
  url: v.nullable(HttpUrl),
  command: v.nullable(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(1000), v.regex(/^[^\0]*$/))),
  args: v.pipe(v.array(v.pipe(v.string(), v.maxLength(2000), v.regex(/^[^\0]*$/))), v.maxLength(100)),
  env: v.record(EnvName, EnvValue),
  /** Secret HTTP headers (e.g. Authorization), stored encrypted and never returned. */
  headers: SecretHeaders,
  /** Secret environment of a stdio server, stored encrypted and never returned. */
  secretEnv: v.record(EnvName, EnvValue),
  enabled: v.boolean(),
  authMode: McpAuthModeInputSchema,
  oauth: v.nullable(McpOAuthInputSchema),
};

export const McpServerInputSchema = v.object({
  ...McpServerFields,
  prefix: v.optional(McpServerFields.prefix),
  url: v.optional(McpServerFields.url),
  command: v.optional(McpServerFields.command),
  args: v.optional(McpServerFields.args, []),
  env: v.optional(McpServerFields.env, {}),
  headers: v.optional(McpServerFields.headers, {}),
  secretEnv: v.optional(McpServerFields.secretEnv, {}),
  enabled: v.optional(McpServerFields.enabled, true),
  authMode: v.optional(McpServerFields.authMode, "static"),
  oauth: v.optional(McpServerFields.oauth, null),
});
export type McpServerInput = v.InferOutput<typeof McpServerInputSchema>;

/** PATCH: any field; `headers` / `secretEnv` replace the stored secrets when given. */
export const McpServerPatchSchema = v.partial(v.object(McpServerFields));
export type McpServerPatch = v.InferOutput<typeof McpServerPatchSchema>;

export const McpServerViewSchema = v.object({
  id: v.string(),
  name: v.string(),
  prefix: v.string(),
  transport: McpTransportInputSchema,
  url: v.nullable(v.string()),
  command: v.nullable(v.string()),
  args: v.array(v.string()),
  env: v.record(v.string(), v.string()),
  /** Names of the stored secret headers / environment variables; their values are never returned. */
  secretNames: v.array(v.string()),
  enabled: v.boolean(),
  authMode: McpAuthModeInputSchema,
  /** The OAuth client (its secret is never returned: only whether one is stored). */
  oauth: v.nullable(v.object({ clientId: v.nullable(v.string()), hasClientSecret: v.boolean(), scopes: v.string() })),
  createdAt: v.string(),
  updatedAt: v.string(),
});
export type McpServerView = v.InferOutput<typeof McpServerViewSchema>;

/** POST /api/mcp/servers/:id/link: where to send the user's browser to link their account. */
export const McpLinkStartSchema = v.object({ authorizationUrl: v.string() });
export type McpLinkStart = v.InferOutput<typeof McpLinkStartSchema>;

/** GET /api/mcp/servers/:id/link: whether the calling user has linked their account (never the tokens). */
export const McpLinkStatusSchema = v.object({
  linked: v.boolean(),
  linkedAt: v.nullable(v.string()),
  scope: v.nullable(v.string()),
});
export type McpLinkStatus = v.InferOutput<typeof McpLinkStatusSchema>;

/** Tool RBAC: who a tool pattern is granted to. */
export const McpToolGrantSubjectKindSchema = v.picklist(["role", "team", "user"], "subjectKind must be role, team or user");

/** POST /api/mcp/tool-grants: grant exposed tool names matching `pattern` (`*` globs, `github__*`) to a subject. */
export const McpToolGrantInputSchema = v.object({
  subjectKind: McpToolGrantSubjectKindSchema,
  /** A role name or custom role id, a team id, or a user id. */
  subjectId: v.pipe(v.string(), v.trim(), v.minLength(1, "subjectId is required"), v.maxLength(200)),
  pattern: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, "a pattern may not be empty"),
    v.maxLength(200, "a pattern is at most 200 characters"),
    v.regex(/^\S+$/, "a pattern may not contain whitespace"),
  ),
});
export type McpToolGrantInput = v.InferOutput<typeof McpToolGrantInputSchema>;

export const McpToolGrantViewSchema = v.object({
  id: v.string(),
  subjectKind: McpToolGrantSubjectKindSchema,
  subjectId: v.string(),
  /** The role, team or user as people read it (null if it no longer exists). */
  subjectName: v.nullable(v.string()),
  pattern: v.string(),
  createdAt: v.string(),
});
export type McpToolGrantView = v.InferOutput<typeof McpToolGrantViewSchema>;
