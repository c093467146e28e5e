import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { AuditLogRowSchema } from "./audit-log-row.js";
import { type GatewayLogRow, GatewayLogRowSchema } from "./gateway-log-row.js";
import { McpLogRowSchema } from "./mcp-log-row.js";
import { rowLimitsOf } from "./row-limits.js";

const row: GatewayLogRow = {
  event_id: "6f1c1a52-7d0e-4a8b-9d61-4f5b2c3a1e01",
  created_at: "2025-06-01 12:30:45",
  created_at_ms: Date.UTC(2025, 5, 1, 12, 30, 45, 123),
  request_id: "req_abc",
  api_key_id: "0b6a3f7e-2d41-4c8e-b1a9-5e7f3c2d1a00",
  user_id: "1c7b4e8f-3e52-4d9f-a2ba-6f8e4d3c2b11",
  team_id: "",
  provider_id: "openai-main",
  provider_kind: "openai",
  inbound_api: "openai_chat",
  model: "gpt-4.1",
  upstream_model: "gpt-4.1",
  stream: 1,
  status_code: 200,
  error_code: "",
  input_tokens: 1200,
  output_tokens: 340,
  cached_tokens: 1000,
  reasoning_tokens: 12,
  latency_ms: 2345,
  time_to_first_token_ms: 410,
  client_ip: "192.0.2.7",
  user_agent: "claude-cli/1.0",
  cost_usd: 0.0042,
  weighted_input_tokens: 1200,
  weighted_output_tokens: 340,
  trace_id: "",
  sanitized: 0,
  sanitize_notes: "",
};

const GATEWAY_LIMITS = rowLimitsOf(GatewayLogRowSchema);

describe("rowLimitsOf", () => {
  it("keeps every column with a check beyond its type and leaves out the plain strings", () => {
    expect(Object.keys(GATEWAY_LIMITS.entries).sort()).toEqual(
      [
        "event_id",
        "created_at",
        "created_at_ms",
        "stream",
        "status_code",
        "input_tokens",
        "output_tokens",
        "cached_tokens",
        "reasoning_tokens",
        "latency_ms",
        "time_to_first_token_ms",
        "cost_usd",
        "weighted_input_tokens",
        "weighted_output_tokens",
        "sanitized",
      ].sort(),
    );
    expect(Object.keys(rowLimitsOf(McpLogRowSchema).entries).sort()).toEqual(
      ["event_id", "created_at", "created_at_ms", "request_bytes", "response_bytes", "latency_ms", "sanitized"].sort(),
    );
    expect(Object.keys(rowLimitsOf(AuditLogRowSchema).entries).sort()).toEqual(
      ["event_id", "created_at", "created_at_ms", "sanitized"].sort(),
    );
  });

  it("passes a valid row, as the whole schema does", () => {
    expect(v.safeParse(GatewayLogRowSchema, row).success).toBe(true);
    expect(v.safeParse(GATEWAY_LIMITS, row).success).toBe(true);
  });

  it.each<[string, Partial<GatewayLogRow>, string]>([
    ["a status code above UInt16", { status_code: 70_000 }, "status_code"],
    ["a latency above UInt32", { latency_ms: 2 ** 32 }, "latency_ms"],
    ["a time to first token above UInt32", { time_to_first_token_ms: 2 ** 32 }, "time_to_first_token_ms"],
    ["a fractional token count", { input_tokens: 1.5 }, "input_tokens"],
    ["a negative creation time", { created_at_ms: -1 }, "created_at_ms"],
    ["a count past 2^53", { weighted_output_tokens: 2 ** 54 }, "weighted_output_tokens"],
    ["an infinite cost", { cost_usd: Number.POSITIVE_INFINITY }, "cost_usd"],
    ["a date outside DateTime's text", { created_at: "+275760-09-13 00:00:00" }, "created_at"],
    ["an empty event id", { event_id: "" }, "event_id"],
    ["a flag above UInt8", { stream: 256 }, "stream"],
  ])("rejects %s at the same column as the whole schema", (_name, change, column) => {
    const whole = v.safeParse(GatewayLogRowSchema, { ...row, ...change });
    const limits = v.safeParse(GATEWAY_LIMITS, { ...row, ...change });
    expect(whole.success).toBe(false);
    expect(limits.success).toBe(false);
    expect(limits.issues?.[0]?.path?.[0]?.key).toBe(column);
    expect(whole.issues?.[0]?.path?.[0]?.key).toBe(column);
  });
});
