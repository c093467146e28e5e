import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { AuditRecordSchema, GatewayRequestEventSchema } from "./audit.js";
import { McpToolCallEventSchema } from "./mcp-log.js";
import { QuotaCheckBatch, QuotaDecisionSchema } from "./quota.js";
import { checkSchema, isCompiled } from "./schema-check.js";

const UUID = "6f1c1a52-7d0e-4a8b-9d61-4f5b2c3a1e01";

const gatewayEvent = {
  eventId: UUID,
  occurredAt: 1_750_000_000_000,
  requestId: "req_1",
  apiKeyId: UUID,
  userId: UUID,
  teamId: null,
  providerId: "p1",
  providerKind: "openai",
  inboundApi: "openai_chat",
  model: "gpt-4o-mini",
  upstreamModel: "gpt-4o-mini",
  stream: false,
  statusCode: 200,
  errorCode: null,
  inputTokens: 12,
  outputTokens: 9,
  cachedTokens: 0,
  reasoningTokens: 0,
  latencyMs: 3,
  timeToFirstTokenMs: null,
  clientIp: "127.0.0.1",
  userAgent: "wrk",
  apiKeyLineageId: UUID,
  weightedInputTokens: 12,
  weightedOutputTokens: 9,
  costUsd: 0.0001,
  usageEstimated: false,
  traceId: null,
};

/** Values that probe every check the compiled subset has: types, null/undefined, ranges, lengths, formats. */
const PROBES: unknown[] = [
  undefined,
  null,
  "",
  "x",
  "openai_chat",
  UUID,
  "not-a-uuid",
  "x".repeat(1001),
  0,
  -1,
  1.5,
  200,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  {},
  [],
  [1],
];

/** valibot's verdict and output against checkSchema's, for the value as it is. */
function expectSame(schema: v.GenericSchema, value: unknown) {
  const expected = v.safeParse(schema, value);
  const actual = checkSchema(schema, value);
  expect(actual.success).toBe(expected.success);
  if (expected.success) expect(actual.output).toStrictEqual(expected.output);
  else expect(actual.issues).toEqual(expected.issues);
}

/** Every field of `base` replaced (and removed) in turn by every probe. */
function mutations(base: Record<string, unknown>): unknown[] {
  const out: unknown[] = [base, { ...base, extra: "kept out" }, null, [], "event"];
  for (const key of Object.keys(base)) {
    const { [key]: _removed, ...without } = base;
    out.push(without);
    for (const probe of PROBES) out.push({ ...base, [key]: probe });
  }
  return out;
}

describe("checkSchema", () => {
  it("compiles the event contracts the consumers check on every message", () => {
    expect(isCompiled(GatewayRequestEventSchema)).toBe(true);
    expect(isCompiled(McpToolCallEventSchema)).toBe(true);
    expect(isCompiled(QuotaDecisionSchema)).toBe(true);
    expect(isCompiled(QuotaCheckBatch.request)).toBe(true);
    expect(isCompiled(QuotaCheckBatch.reply)).toBe(true);
  });

  it("gives valibot's verdict and output for every field of a gateway event set to every probe", () => {
    for (const value of mutations(gatewayEvent)) expectSame(GatewayRequestEventSchema, value);
  });

  it("gives valibot's output for a picked schema: only the named keys, in the schema's order", () => {
    const picked = v.pick(GatewayRequestEventSchema, ["costUsd", "eventId", "apiKeyLineageId"]);
    const result = checkSchema(picked, gatewayEvent);
    expect(result.success).toBe(true);
    expect(Object.keys(result.output as object)).toEqual(Object.keys(v.parse(picked, gatewayEvent) as object));
    for (const value of mutations(gatewayEvent)) expectSame(picked, value);
  });

  it("matches valibot on nested arrays and objects (a quota check batch)", () => {
    const batch = {
      checks: [
        {
          surface: "ai_gateway",
          subjects: [{ kind: "api_key", id: UUID }],
          requestId: "r1",
        },
      ],
    };
    expectSame(QuotaCheckBatch.request, batch);
    expectSame(QuotaCheckBatch.request, { checks: [] });
    expectSame(QuotaCheckBatch.request, { checks: [null] });
    expectSame(QuotaCheckBatch.request, { checks: "many" });
    for (const value of mutations(batch.checks[0] as Record<string, unknown>)) {
      expectSame(QuotaCheckBatch.request, { checks: [value] });
    }
  });

  it("leaves what it cannot compile to valibot, with the same results", () => {
    const transformed = v.object({ name: v.pipe(v.string(), v.trim()) });
    const defaulted = v.object({ n: v.optional(v.number(), () => 5) });
    const union = v.union([v.string(), v.number()]);
    const stateful = v.object({ code: v.pipe(v.string(), v.regex(/^a/g)) });
    expect(isCompiled(stateful)).toBe(false);
    expect(isCompiled(transformed)).toBe(false);
    expect(isCompiled(defaulted)).toBe(false);
    expect(isCompiled(union)).toBe(false);
    expectSame(transformed, { name: "  padded  " });
    expectSame(defaulted, {});
    expectSame(union, 3);
    expectSame(union, true);
  });

  it("fills fixed defaults as valibot does, and checks them as values", () => {
    const schema = v.object({
      a: v.optional(v.nullable(v.string()), null),
      b: v.optional(v.number(), 5),
      c: v.nullish(v.string(), "none"),
      d: v.nullish(v.string(), null),
      e: v.optional(v.pipe(v.number(), v.maxValue(3)), 5),
    });
    expect(isCompiled(schema)).toBe(true);
    for (const value of mutations({ a: "x", b: 1, c: "y", d: "z", e: 2 })) expectSame(schema, value);
    expectSame(schema, {});
  });

  it("matches valibot on the other contracts' probes (audit record, MCP event, quota decisions)", () => {
    const decision = {
      allowed: false,
      rejectedBy: { label: "api_key:requests/1m", limit: 1, windowSeconds: 60, retryAfterSeconds: 3 },
    };
    for (const value of mutations(decision)) expectSame(QuotaDecisionSchema, value);
    for (const value of mutations(decision.rejectedBy)) expectSame(QuotaDecisionSchema, { allowed: false, rejectedBy: value });
    expectSame(QuotaCheckBatch.reply, { decisions: [decision, { allowed: true }] });
    const record = {
      eventId: UUID,
      occurredAt: 1,
      traceId: null,
      requestId: null,
      category: "admin",
      action: "user.created",
      actor: { kind: "user", id: UUID, name: "a@b.c", ip: null, userAgent: null },
      target: { kind: "user", id: UUID, name: null },
      outcome: "success",
      teamId: null,
      details: {},
      before: null,
      after: null,
    };
    for (const value of mutations(record)) expectSame(AuditRecordSchema, value);
    const mcpEvent = {
      eventId: UUID,
      occurredAt: 1,
      requestId: "r",
      userId: UUID,
      apiKeyId: null,
      sessionId: "s",
      clientName: "claude-code",
      serverId: "srv",
      serverName: "github",
      toolName: "search",
      exposedToolName: "github__search",
      argumentsRedacted: "{}",
      status: "success",
      requestBytes: 10,
      responseBytes: 20,
      latencyMs: 3,
    };
    expect(v.safeParse(McpToolCallEventSchema, mcpEvent).success).toBe(true);
    for (const value of mutations(mcpEvent)) expectSame(McpToolCallEventSchema, value);
  });
});
