/**
 * MCP tool calls through the gateway's /mcp endpoint: one event per tools/call, written to ClickHouse `mcp_logs`
 * and forwarded like every AUDIT event. Published by mcp-proxy; arguments are redacted before publishing.
 */
import * as v from "valibot";
import { eventContract } from "./contract.js";

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const McpToolCallEventSchema = v.object({
  eventId: v.pipe(v.string(), v.uuid()),
  occurredAt: v.number(),
  requestId: v.string(),
  traceId: v.optional(v.nullable(v.string()), null),
  userId: v.nullable(v.string()),
  apiKeyId: v.nullable(v.string()),
  teamId: v.optional(v.nullable(v.string()), null),
  /** The gateway's MCP session id. */
  sessionId: v.nullable(v.string()),
  /** clientInfo.name/version from the client's initialize. */
  clientName: v.nullable(v.string()),
  clientVersion: v.optional(v.nullable(v.string()), null),
  serverId: v.nullable(v.string()),
  serverName: v.nullable(v.string()),
  /** The tool's name on its upstream server and the (prefixed) name the gateway exposed to the client. */
  toolName: v.string(),
  exposedToolName: v.string(),
  /** JSON of the call's arguments with secrets and PII already replaced; never the raw arguments. */
  argumentsRedacted: v.string(),
  status: v.picklist(["success", "error", "denied"]),
  /** JSON-RPC or tool error code and message when status is not success. */
  errorCode: v.optional(v.nullable(v.string()), null),
  errorMessage: v.optional(v.nullable(v.string()), null),
  requestBytes: Count,
  responseBytes: Count,
  latencyMs: Count,
  clientIp: v.optional(v.nullable(v.string()), null),
});
export type McpToolCallEvent = v.InferOutput<typeof McpToolCallEventSchema>;

export const McpToolCallCompleted = eventContract("audit.v1.evt.mcp_tool_call.completed", McpToolCallEventSchema);
