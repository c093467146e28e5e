import type { QuotaClient, QuotaIndexHolder } from "@thinkwatch/gateway-auth";
import {
  type ApiKeyInfo,
  type QuotaCheckRequest,
  type QuotaDecision,
  RATE_LIMITER_UNAVAILABLE,
  subjectKey,
} from "@thinkwatch/proto";
import { describe, expect, it } from "vitest";
import { admitToolCall, headroomHeaders, mcpQuotaSubjects, refusalHeaders } from "./tool-call-quota.js";

const key = { id: "k2", lineageId: "k1", userId: "u1", teamId: "t1" } as ApiKeyInfo;

/** A rule index listing `listed`, and a quota that answers `decision` and remembers what it was asked. */
function deps(listed: string[], decision: QuotaDecision | null) {
  const asked: QuotaCheckRequest[] = [];
  const quota: QuotaClient = {
    check: async (request) => {
      asked.push(request);
      return decision;
    },
    failures: () => ({ failOpen: 0, failClosed: 0 }),
  };
  const quotaIndex: QuotaIndexHolder = {
    anyApplies: (surface, subjects) => surface === "mcp_gateway" && subjects.some((s) => listed.includes(subjectKey(s))),
    anyOnSurface: (surface) => surface === "mcp_gateway" && listed.length > 0,
    anyMetered: () => false,
    stop: () => undefined,
  };
  return { asked, deps: { quota, quotaIndex } };
}

describe("tool-call quota", () => {
  it("resolves a call to its key lineage, user, MCP server and team", () => {
    expect(mcpQuotaSubjects(key, "s1")).toEqual([
      { kind: "api_key", id: "k1" },
      { kind: "user", id: "u1" },
      { kind: "mcp_server", id: "s1" },
      { kind: "team", id: "t1" },
    ]);
    expect(mcpQuotaSubjects({ ...key, teamId: null }, "s1").map((s) => s.kind)).toEqual(["api_key", "user", "mcp_server"]);
  });

  it("asks quota nothing when no subject of the call is in the rule index", async () => {
    const { asked, deps: d } = deps(["mcp_server:other"], { allowed: false });
    expect(await admitToolCall(d, key, "s1", "r1")).toEqual({ allowed: true, headroom: null });
    expect(asked).toEqual([]);
  });

  it("asks on the MCP surface, without a reservation, when a subject is listed", async () => {
    const tightest = { label: "mcp_server:requests/1m", limit: 5, remaining: 2, resetSeconds: 30 };
    const { asked, deps: d } = deps(["mcp_server:s1"], { allowed: true, tightest });
    expect(await admitToolCall(d, key, "s1", "r1")).toEqual({ allowed: true, headroom: tightest });
    expect(asked).toEqual([{ surface: "mcp_gateway", subjects: mcpQuotaSubjects(key, "s1"), requestId: "r1" }]);
    expect(headroomHeaders(tightest)).toEqual({
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "2",
      "x-ratelimit-reset": "30",
      "x-ratelimit-rule": "mcp_server:requests/1m",
    });
  });

  it.each([
    [
      "a rule",
      { label: "user:requests/1h", limit: 5, windowSeconds: 3600, retryAfterSeconds: 42.3, kind: "rule" as const },
      {
        code: "rate_limited",
        message: "rate limit exceeded: user:requests/1h (5); retry after 43s",
        rule: "user:requests/1h",
        limit: 5,
        retryAfterSeconds: 43,
      },
    ],
    [
      "the limiter unavailable (fail closed)",
      RATE_LIMITER_UNAVAILABLE.rejectedBy,
      {
        code: "rate_limiter_unavailable",
        message: "rate_limiter_unavailable: quota could not check this tool call and the policy refuses unchecked calls",
        rule: "rate_limiter_unavailable",
        limit: 0,
        retryAfterSeconds: 1,
      },
    ],
  ])("refuses a call rejected by %s, with the retry time in whole seconds", async (_what, rejectedBy, refusal) => {
    const { deps: d } = deps(["user:u1"], { allowed: false, rejectedBy });
    const result = await admitToolCall(d, key, "s1", "r1");
    expect(result).toEqual({ allowed: false, refusal });
    expect(refusalHeaders(refusal as never)).toEqual({
      "retry-after": String(refusal.retryAfterSeconds),
      "x-ratelimit-limit": String(refusal.limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(refusal.retryAfterSeconds),
      "x-ratelimit-rule": refusal.rule,
    });
  });

  it("lets the call through when quota could not be asked and the policy is fail open", async () => {
    const { deps: d } = deps(["user:u1"], null);
    expect(await admitToolCall(d, key, "s1", "r1")).toEqual({ allowed: true, headroom: null });
  });
});
