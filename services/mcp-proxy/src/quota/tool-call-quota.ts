/**
 * Quota for MCP tool calls: each tools/call counts one request against the rules of its subjects on the MCP gateway —
 * the key (by lineage), the user, the MCP server the call goes to, and the key's team. The rule index is consulted
 * first, so a call none of whose subjects has a rule costs no NATS round trip.
 */
import type { QuotaClient, QuotaIndexHolder } from "@thinkwatch/gateway-auth";
import type { ApiKeyInfo, QuotaHeadroom, QuotaSubject } from "@thinkwatch/proto";
import type { TraceContext } from "@thinkwatch/tracing";

export interface ToolCallQuotaDeps {
  quota: QuotaClient;
  quotaIndex: QuotaIndexHolder;
}

/** Why a call was refused, carried in the JSON-RPC error's data and the HTTP headers. */
export interface ToolCallRefusal {
  code: "rate_limited" | "rate_limiter_unavailable";
  message: string;
  rule: string;
  limit: number;
  retryAfterSeconds: number;
}

export type ToolCallAdmission = { allowed: true; headroom: QuotaHeadroom | null } | { allowed: false; refusal: ToolCallRefusal };

export function mcpQuotaSubjects(key: ApiKeyInfo, serverId: string): QuotaSubject[] {
  const subjects: QuotaSubject[] = [
    { kind: "api_key", id: key.lineageId },
    { kind: "user", id: key.userId },
    { kind: "mcp_server", id: serverId },
  ];
  if (key.teamId !== null) subjects.push({ kind: "team", id: key.teamId });
  return subjects;
}

/** One tool call to `serverId`: admitted (with the tightest counter, if any rule applied) or refused. */
export async function admitToolCall(
  deps: ToolCallQuotaDeps,
  key: ApiKeyInfo,
  serverId: string,
  requestId: string,
  trace?: TraceContext,
): Promise<ToolCallAdmission> {
  const subjects = mcpQuotaSubjects(key, serverId);
  if (!deps.quotaIndex.anyApplies("mcp_gateway", subjects)) return { allowed: true, headroom: null };
  const decision = await deps.quota.check({ surface: "mcp_gateway", subjects, requestId }, trace);
  if (decision === null) return { allowed: true, headroom: null };
  if (decision.allowed) return { allowed: true, headroom: decision.tightest ?? null };
  const rejected = decision.rejectedBy;
  const rule = rejected?.label ?? "quota";
  const limit = rejected?.limit ?? 0;
  const retryAfterSeconds = Math.max(1, Math.ceil(rejected?.retryAfterSeconds ?? 1));
  if (rejected?.kind === "unavailable") {
    return {
      allowed: false,
      refusal: {
        code: "rate_limiter_unavailable",
        message: "rate_limiter_unavailable: quota could not check this tool call and the policy refuses unchecked calls",
        rule,
        limit,
        retryAfterSeconds,
      },
    };
  }
  return {
    allowed: false,
    refusal: {
      code: "rate_limited",
      message: `rate limit exceeded: ${rule} (${limit}); retry after ${retryAfterSeconds}s`,
      rule,
      limit,
      retryAfterSeconds,
    },
  };
}

/** `Retry-After` and `x-ratelimit-*` of a refusal (the same headers ai-proxy sends). */
export function refusalHeaders(refusal: ToolCallRefusal): Record<string, string> {
  return {
    "retry-after": String(refusal.retryAfterSeconds),
    "x-ratelimit-limit": String(refusal.limit),
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": String(refusal.retryAfterSeconds),
    "x-ratelimit-rule": refusal.rule,
  };
}

/** `x-ratelimit-*` for the tightest counter of an admitted call. */
export function headroomHeaders(headroom: QuotaHeadroom): Record<string, string> {
  return {
    "x-ratelimit-limit": String(headroom.limit),
    "x-ratelimit-remaining": String(Math.max(0, Math.floor(headroom.remaining))),
    "x-ratelimit-reset": String(headroom.resetSeconds),
    "x-ratelimit-rule": headroom.label,
  };
}
