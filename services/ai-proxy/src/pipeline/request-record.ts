/**
 * What the gateway learns about one request as it runs — who, which route, status, usage, timings — and the audit
 * event built from it when the request ends (successfully or not).
 */
import { randomUUID } from "node:crypto";
import type { ApiKeyInfo, GatewayRequestEvent, InboundApi } from "@thinkwatch/proto";
import type { Route } from "../routing/model-router.js";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 };

export class RequestRecord {
  readonly eventId = randomUUID();
  readonly startedAt = Date.now();
  private readonly startedHr = performance.now();
  key: ApiKeyInfo | null = null;
  route: Route | null = null;
  model = "";
  stream = false;
  statusCode = 200;
  errorCode: string | null = null;
  usage: Usage = { ...ZERO_USAGE };
  firstTokenAtMs: number | null = null;
  /** Run once when the request ends (frees its concurrency slot, counts route tokens). */
  readonly atFinish: Array<() => void> = [];

  constructor(
    readonly requestId: string,
    readonly inboundApi: InboundApi,
    readonly clientIp: string | null,
    readonly userAgent: string | null,
  ) {}

  markFirstToken(): void {
    if (this.firstTokenAtMs === null) this.firstTokenAtMs = Math.round(performance.now() - this.startedHr);
  }

  /** The audit event, or null when the caller never authenticated (those go to access logs, not gateway logs). */
  toEvent(): GatewayRequestEvent | null {
    if (this.key === null) return null;
    return {
      eventId: this.eventId,
      occurredAt: this.startedAt,
      requestId: this.requestId,
      apiKeyId: this.key.id,
      userId: this.key.userId,
      teamId: this.key.teamId,
      providerId: this.route?.provider.id ?? null,
      providerKind: this.route?.provider.kind ?? null,
      inboundApi: this.inboundApi,
      model: this.model,
      upstreamModel: this.route?.upstreamModel ?? null,
      stream: this.stream,
      statusCode: this.statusCode,
      errorCode: this.errorCode,
      inputTokens: this.usage.inputTokens,
      outputTokens: this.usage.outputTokens,
      cachedTokens: this.usage.cachedTokens,
      reasoningTokens: this.usage.reasoningTokens,
      latencyMs: Math.round(performance.now() - this.startedHr),
      timeToFirstTokenMs: this.firstTokenAtMs,
      clientIp: this.clientIp,
      userAgent: this.userAgent,
    };
  }
}
