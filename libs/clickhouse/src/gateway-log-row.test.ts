import type { GatewayRequestEvent } from "@thinkwatch/proto";
import { GatewayRequestEventSchema } from "@thinkwatch/proto";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { GatewayLogRowSchema, gatewayEventToRow } from "./gateway-log-row.js";

const base: GatewayRequestEvent = v.parse(GatewayRequestEventSchema, {
  eventId: "6f1c1a52-7d0e-4a8b-9d61-4f5b2c3a1e01",
  occurredAt: Date.UTC(2025, 5, 1, 12, 30, 45, 123),
  requestId: "req_abc",
  apiKeyId: "0b6a3f7e-2d41-4c8e-b1a9-5e7f3c2d1a00",
  userId: "1c7b4e8f-3e52-4d9f-a2ba-6f8e4d3c2b11",
  teamId: "2d8c5f90-4f63-4eaf-b3cb-7a9f5e4d3c22",
  providerId: "openai-main",
  providerKind: "openai",
  inboundApi: "anthropic_messages",
  model: "claude-sonnet",
  upstreamModel: "gpt-4.1",
  stream: true,
  statusCode: 200,
  errorCode: null,
  inputTokens: 1200,
  outputTokens: 340,
  cachedTokens: 1000,
  reasoningTokens: 12,
  latencyMs: 2345,
  timeToFirstTokenMs: 410,
  clientIp: "192.0.2.7",
  userAgent: "claude-cli/1.0",
});

describe("gatewayEventToRow", () => {
  it("maps every field of a complete event", () => {
    expect(gatewayEventToRow(base)).toEqual({
      event_id: "6f1c1a52-7d0e-4a8b-9d61-4f5b2c3a1e01",
      created_at: "2025-06-01 12:30:45",
      created_at_ms: Date.UTC(2025, 5, 1, 12, 30, 45, 123),
      request_id: "req_abc",
      api_key_id: "0b6a3f7e-2d41-4c8e-b1a9-5e7f3c2d1a00",
      user_id: "1c7b4e8f-3e52-4d9f-a2ba-6f8e4d3c2b11",
      team_id: "2d8c5f90-4f63-4eaf-b3cb-7a9f5e4d3c22",
      provider_id: "openai-main",
      provider_kind: "openai",
      inbound_api: "anthropic_messages",
      model: "claude-sonnet",
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
      cost_usd: 0,
      weighted_input_tokens: 0,
      weighted_output_tokens: 0,
      trace_id: "",
      sanitized: 0,
      sanitize_notes: "",
    });
  });

  it("takes cost, weighted tokens and trace id when the event carries them, and flags sanitized rows", () => {
    const row = gatewayEventToRow(
      { ...base, costUsd: 0.0123, weightedInputTokens: 2400, weightedOutputTokens: 1020, traceId: "a".repeat(32) },
      ["model:replaced"],
    );
    expect(row).toMatchObject({
      cost_usd: 0.0123,
      weighted_input_tokens: 2400,
      weighted_output_tokens: 1020,
      trace_id: "a".repeat(32),
      sanitized: 1,
      sanitize_notes: "model:replaced",
    });
    expect(v.safeParse(GatewayLogRowSchema, row).success).toBe(true);
  });

  it("turns absent optional strings into '' and keeps an absent first-token time as null", () => {
    const row = gatewayEventToRow({
      ...base,
      teamId: null,
      providerId: null,
      providerKind: null,
      upstreamModel: null,
      errorCode: "upstream_timeout",
      stream: false,
      statusCode: 504,
      timeToFirstTokenMs: null,
      clientIp: null,
      userAgent: null,
    });
    expect(row).toMatchObject({
      team_id: "",
      provider_id: "",
      provider_kind: "",
      upstream_model: "",
      error_code: "upstream_timeout",
      stream: 0,
      status_code: 504,
      time_to_first_token_ms: null,
      client_ip: "",
      user_agent: "",
    });
  });

  it("produces rows that pass GatewayLogRowSchema", () => {
    expect(v.safeParse(GatewayLogRowSchema, gatewayEventToRow(base)).success).toBe(true);
  });

  it.each([
    ["a status code above UInt16", { statusCode: 70_000 }, "status_code"],
    ["a latency above UInt32", { latencyMs: 2 ** 32 }, "latency_ms"],
    ["a fractional token count", { inputTokens: 1.5 }, "input_tokens"],
  ])("yields a row the schema rejects for %s", (_name, change, column) => {
    const result = v.safeParse(GatewayLogRowSchema, gatewayEventToRow({ ...base, ...change }));
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.path?.[0]?.key).toBe(column);
  });
});
