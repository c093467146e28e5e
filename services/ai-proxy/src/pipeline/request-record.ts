/**
 * What the gateway learns about one request as it runs — who, which route, status, usage, timings — and the audit
 * event built from it when the request ends (successfully or not).
 */
import { randomUUID } from "node:crypto";
import type { ApiKeyInfo, GatewayRequestEvent, InboundApi, ModelPrice } from "@thinkwatch/proto";
import { activeTraceId, type TraceContext } from "@thinkwatch/tracing";
import { costOf, UNPRICED } from "../pricing/model-cost.js";
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
  /** The trace this request belongs to, for the audit row (null when tracing is off or the request is not sampled). */
  readonly traceId: string | null;
  private readonly startedHr = performance.now();
  key: ApiKeyInfo | null = null;
  route: Route | null = null;
  model = "";
  stream = false;
  statusCode = 200;
  errorCode: string | null = null;
  usage: Usage = { ...ZERO_USAGE };
  /** Set once the upstream reported usage; otherwise a successful answer's tokens are estimated. */
  usageReported = false;
  firstTokenAtMs: number | null = null;
  /** performance.now() when the request went upstream; null until then (metrics). */
  upstreamStartedHr: number | null = null;
  /** True once a streamed answer started (metrics count how streams end). */
  streamed = false;
  /** The model's prices and multipliers, looked up when the request was routed. */
  price: ModelPrice = UNPRICED;
  /** How to estimate the prompt (set at admission); computed at most once, and only when needed. */
  estimateInputTokens: () => number = () => 0;
  private inputEstimate: number | null = null;
  /** Characters of generated output seen on a stream, for an estimate when the upstream reports no usage. */
  streamedChars = 0;
  /** Run once when the request ends (frees its concurrency slot, counts route tokens). */
  readonly atFinish: Array<() => void> = [];

  constructor(
    readonly requestId: string,
    readonly inboundApi: InboundApi,
    readonly clientIp: string | null,
    readonly userAgent: string | null,
    /** The request span's context: the parent of the spans made for this request (quota, upstream, audit publish). */
    readonly trace: TraceContext | undefined,
  ) {
    this.traceId = activeTraceId(trace);
  }

  markFirstToken(): void {
    if (this.firstTokenAtMs === null) this.firstTokenAtMs = Math.round(performance.now() - this.startedHr);
  }

  markUpstreamStart(): void {
    this.upstreamStartedHr = performance.now();
  }

  elapsedSeconds(): number {
    return (performance.now() - this.startedHr) / 1000;
  }

  upstreamSeconds(): number {
    return this.upstreamStartedHr === null ? 0 : (performance.now() - this.upstreamStartedHr) / 1000;
  }

  estimatedInputTokens(): number {
    this.inputEstimate ??= this.estimateInputTokens();
    return this.inputEstimate;
  }

  setUsage(usage: Usage): void {
    this.usage = usage;
    this.usageReported = true;
  }

  /** The audit event, or null when the caller never authenticated (those go to access logs, not gateway logs). */
  toEvent(): GatewayRequestEvent | null {
    if (this.key === null) return null;
    // An answer without reported usage (an upstream that does not surface it on a stream, a stream the client left)
    // still counts: the prompt estimate from admission plus ~4 characters per generated token, marked as estimated.
    const succeeded = this.errorCode === null && this.statusCode < 400;
    const estimated = !this.usageReported && this.route !== null && (succeeded || this.streamedChars > 0);
    if (estimated) {
      this.usage = {
        ...ZERO_USAGE,
        inputTokens: this.estimatedInputTokens(),
        outputTokens: Math.ceil(this.streamedChars / 4),
      };
    }
    const cost = costOf(this.price, this.usage);
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
      apiKeyLineageId: this.key.lineageId,
      weightedInputTokens: cost.weightedInputTokens,
      weightedOutputTokens: cost.weightedOutputTokens,
      costUsd: cost.costUsd,
      usageEstimated: estimated,
      ...(this.traceId !== null && { traceId: this.traceId }),
    };
  }
}
