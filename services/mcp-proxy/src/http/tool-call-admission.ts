/**
 * Quota admission of the tools/call requests in one POST, before they reach the session: each call is checked
 * against the rules of its key, user, team and target MCP server (all calls of the POST in one batched quota
 * message). Refused calls are audited and answered in the JSON-RPC shape here; the endpoint sends a lone refused
 * call back as HTTP 429 with Retry-After, and answers refused calls inside a batch in place.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { ApiKeyInfo, QuotaHeadroom } from "@thinkwatch/proto";
import type { TraceContext } from "@thinkwatch/tracing";
import { admitToolCall, type ToolCallQuotaDeps, type ToolCallRefusal } from "../quota/tool-call-quota.js";
import type { GatewaySession } from "../session/gateway-session.js";
import { JSON_RPC, rpcError } from "./json-rpc.js";

export interface RefusedCall {
  answer: JSONRPCMessage;
  refusal: ToolCallRefusal;
}

export interface ToolCallsAdmission {
  /** Request id (as a string) → the JSON-RPC error that answers it. */
  refused: Map<string, RefusedCall>;
  /** The tightest counter among the admitted calls, for `x-ratelimit-*`. */
  headroom: QuotaHeadroom | null;
}

interface ToolCall {
  id: string | number;
  name: string;
  arguments: unknown;
}

function toolCallsOf(messages: JSONRPCMessage[]): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const message of messages) {
    if (!("method" in message) || message.method !== "tools/call" || !("id" in message)) continue;
    const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown };
    // A call without a name is malformed: the session answers it with the SDK's validation error.
    if (typeof params.name !== "string") continue;
    calls.push({ id: message.id, name: params.name, arguments: params.arguments });
  }
  return calls;
}

export async function admitToolCalls(
  deps: ToolCallQuotaDeps,
  session: GatewaySession,
  key: ApiKeyInfo,
  messages: JSONRPCMessage[],
  context: { requestId: string; clientIp: string | null; trace: TraceContext | undefined },
): Promise<ToolCallsAdmission> {
  const admission: ToolCallsAdmission = { refused: new Map(), headroom: null };
  // The cheap path: no rule on the MCP gateway anywhere, nothing to resolve or ask.
  if (!deps.quotaIndex.anyOnSurface("mcp_gateway")) return admission;
  const calls = toolCallsOf(messages);
  if (calls.length === 0) return admission;
  await Promise.all(
    calls.map(async (call) => {
      // Calls the session refuses anyway (not allowed, unknown tool) are left to it and not counted.
      const target = await session.toolTarget(call.name).catch(() => null);
      if (target === null) return;
      const result = await admitToolCall(deps, key, target.server.id, context.requestId, context.trace);
      if (result.allowed) {
        const headroom = result.headroom;
        if (headroom !== null && (admission.headroom === null || headroom.remaining < admission.headroom.remaining)) {
          admission.headroom = headroom;
        }
        return;
      }
      const { refusal } = result;
      session.recordRefusedCall({
        ...context,
        server: target.server,
        toolName: target.original,
        exposedToolName: call.name,
        arguments: call.arguments,
        errorCode: refusal.code,
        errorMessage: refusal.message,
      });
      const answer = rpcError(call.id, JSON_RPC.rateLimited, refusal.message, {
        code: refusal.code,
        rule: refusal.rule,
        limit: refusal.limit,
        retryAfterSeconds: refusal.retryAfterSeconds,
      }) as JSONRPCMessage;
      admission.refused.set(String(call.id), { answer, refusal });
    }),
  );
  return admission;
}
