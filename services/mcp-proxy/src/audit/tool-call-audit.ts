/**
 * One audit event per tools/call — allowed, denied or failed — published through the outbox (never awaited on the
 * request path). Arguments are recorded with secret-looking values replaced and the whole capped in size.
 */
import { randomUUID } from "node:crypto";
import type { Outbox } from "@thinkwatch/bus";
import { McpToolCallCompleted, type McpToolCallEvent } from "@thinkwatch/proto";
import { activeTraceId, type TraceContext } from "@thinkwatch/tracing";
import type { ToolCallOutcome } from "../session/gateway-session.js";

const SECRET_NAME = /secret|token|password|passwd|api[_-]?key|authorization|credential|private[_-]?key|cookie/i;
const MAX_ARGUMENTS_CHARS = 8192;

/** Arguments as JSON with every value under a secret-looking name replaced, at most 8 KiB. */
export function redactArguments(value: unknown): string {
  const redact = (node: unknown, depth: number): unknown => {
    if (depth > 20) return "[too deep]";
    if (Array.isArray(node)) return node.map((item) => redact(item, depth + 1));
    if (typeof node === "object" && node !== null) {
      return Object.fromEntries(
        Object.entries(node).map(([name, child]) => [name, SECRET_NAME.test(name) ? "[redacted]" : redact(child, depth + 1)]),
      );
    }
    return node;
  };
  const json = JSON.stringify(redact(value, 0)) ?? "null";
  return json.length > MAX_ARGUMENTS_CHARS ? `${json.slice(0, MAX_ARGUMENTS_CHARS)}…[truncated]` : json;
}

/** The event carries the call's trace id (null when tracing is off or the call was not traced). */
export function toolCallEvent(outcome: ToolCallOutcome): McpToolCallEvent {
  const session = outcome.session;
  const clientInfo = session.record.initialize.clientInfo as { name?: unknown; version?: unknown } | undefined;
  const argumentsJson = redactArguments(outcome.arguments);
  return {
    eventId: randomUUID(),
    occurredAt: Date.now() - outcome.latencyMs,
    requestId: outcome.requestId,
    traceId: activeTraceId(outcome.trace),
    userId: session.key.userId,
    apiKeyId: session.key.id,
    teamId: session.key.teamId,
    sessionId: session.record.id,
    clientName: typeof clientInfo?.name === "string" ? clientInfo.name.slice(0, 200) : null,
    clientVersion: typeof clientInfo?.version === "string" ? clientInfo.version.slice(0, 100) : null,
    serverId: outcome.server?.id ?? null,
    serverName: outcome.server?.name ?? null,
    toolName: outcome.toolName,
    exposedToolName: outcome.exposedToolName,
    argumentsRedacted: argumentsJson,
    status: outcome.status,
    errorCode: outcome.errorCode,
    errorMessage: outcome.errorMessage,
    requestBytes: Buffer.byteLength(argumentsJson),
    responseBytes: outcome.result === null ? 0 : Buffer.byteLength(JSON.stringify(outcome.result)),
    latencyMs: outcome.latencyMs,
    clientIp: outcome.clientIp,
  };
}

export function publishToolCall(outbox: Outbox, event: McpToolCallEvent, trace: TraceContext | undefined): void {
  outbox.enqueue(McpToolCallCompleted, event, event.eventId, trace);
}
