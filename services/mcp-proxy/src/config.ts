/** mcp-proxy configuration: the bus (keys, registry, sessions), the key that decrypts upstream secrets, timeouts. */
import { encryptionEntries, fields, natsEntries, redisEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const McpProxyConfigSchema = v.object({
  ...natsEntries,
  ...encryptionEntries,
  /** SSE events kept for clients that resume a stream with Last-Event-ID, on any replica. */
  ...redisEntries,
  /** `gateway` (default: /mcp beside the AI APIs on GATEWAY_PORT) or `mcp` (its own listener on MCP_PORT). */
  MCP_LISTENER: v.optional(v.picklist(["gateway", "mcp"], "must be gateway or mcp"), "gateway"),
  /** Comma-separated browser origins allowed to call /mcp besides the gateway's own host. */
  CORS_ORIGINS: fields.text(""),
  /** A session unused this long is closed on its replica (its record stays in shared storage until its TTL). */
  MCP_SESSION_IDLE_MS: fields.positiveInt(5 * 60_000),
  /** How long a session record lives in shared storage without a DELETE. */
  MCP_SESSION_TTL_MS: fields.positiveInt(24 * 3_600_000),
  /** Events kept per SSE stream for resumption (approximate bound), and how long after a stream's last event. */
  MCP_SSE_EVENTS_MAX: fields.positiveInt(1000),
  MCP_SSE_EVENTS_TTL_MS: fields.positiveInt(10 * 60_000),
  MCP_UPSTREAM_CONNECT_TIMEOUT_MS: fields.positiveInt(15_000),
  /**
   * How long a tools/call waits for quota's decision when a rule applies. Past it (or with no quota answering) the
   * fail policy `security.rateLimitFailClosed` applies: through unchecked (default) or refused (429).
   */
  QUOTA_CHECK_TIMEOUT_MS: fields.positiveInt(2000),
  /** Longest tool call (reset by progress notifications). */
  MCP_TOOL_CALL_TIMEOUT_MS: fields.positiveInt(300_000),
});
export type McpProxyConfig = v.InferOutput<typeof McpProxyConfigSchema>;
