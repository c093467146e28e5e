/**
 * The light tracer's exporter: an ended span is encoded into the open batch (one writer per instrumentation scope);
 * a batch is sealed when it holds OTEL_BSP_MAX_EXPORT_BATCH_SIZE spans or the schedule delay passes, and goes to the
 * collector as OTLP/HTTP protobuf, one request at a time, retried with backoff on the statuses OTLP calls retryable.
 * Spans past the queue's bound (open and sealed batches together) are dropped and reported, as the SDK's batch
 * processor does; the request path never waits for an export.
 */
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { Attributes } from "@opentelemetry/api";
import { request } from "undici";
import type { SpanSink } from "./light-tracer.js";
import {
  encodeExportRequest,
  encodeResource,
  encodeScope,
  encodeSpan,
  type FinishedSpan,
  type ScopeBatch,
} from "./otlp-encode.js";
import { ProtobufWriter } from "./protobuf-writer.js";

export interface OtlpExportConfig {
  /** The full traces URL (…/v1/traces). */
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  gzip: boolean;
  /** OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE, OTEL_BSP_SCHEDULE_DELAY. */
  maxQueueSize: number;
  maxBatchSize: number;
  scheduleDelayMs: number;
}

/** What the exporter tells its owner: failed exports and dropped spans (never silently lost). */
export type ExportReport = (message: string, fields: Record<string, unknown>) => void;

const RETRYABLE = new Set([429, 502, 503, 504]);
const gzipAsync = promisify(gzip);
const MAX_ATTEMPTS = 5;

/** Spans encoded for one export: per scope index, a writer holding that scope's `spans` fields. */
interface Batch {
  scopes: Map<number, ProtobufWriter>;
  spans: number;
}

const emptyBatch = (): Batch => ({ scopes: new Map(), spans: 0 });

export class OtlpBatchExporter implements SpanSink {
  private readonly scopes: Buffer[] = [];
  private readonly scopeKeys = new Map<string, number>();
  private readonly resource: Buffer;
  private open: Batch = emptyBatch();
  private readonly sealed: Batch[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private dropped = 0;
  private stopped = false;

  constructor(
    private readonly config: OtlpExportConfig,
    resourceAttributes: Attributes,
    private readonly report: ExportReport,
  ) {
    this.resource = encodeResource(resourceAttributes);
  }

  scopeIndex(name: string, version: string | undefined): number {
    const key = `${name}@${version ?? ""}`;
    let index = this.scopeKeys.get(key);
    if (index === undefined) {
      index = this.scopes.push(encodeScope(name, version)) - 1;
      this.scopeKeys.set(key, index);
    }
    return index;
  }

  ended(span: FinishedSpan, endMs: number, scope: number): void {
    if (this.stopped) return;
    if (this.queued >= this.config.maxQueueSize) {
      this.dropped++;
      return;
    }
    let writer = this.open.scopes.get(scope);
    if (writer === undefined) {
      writer = new ProtobufWriter(8 * 1024);
      this.open.scopes.set(scope, writer);
    }
    const start = writer.begin(2);
    encodeSpan(writer, span, endMs);
    writer.end(start);
    this.open.spans++;
    this.queued++;
    if (this.open.spans >= this.config.maxBatchSize) {
      this.sealed.push(this.open);
      this.open = emptyBatch();
      this.exportSoon(0);
    } else this.exportSoon(this.config.scheduleDelayMs);
  }

  /** Send every span held (open and sealed batches) and wait for it; for shutdown and tests. */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.inFlight !== undefined || this.queued > 0) {
      if (this.inFlight === undefined) this.startExport();
      await this.inFlight;
    }
  }

  async shutdown(): Promise<void> {
    await this.flush();
    this.stopped = true;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** An export after `delayMs`, unless one is already due sooner or running (it continues when it finishes). */
  private exportSoon(delayMs: number): void {
    if (this.inFlight !== undefined) return;
    if (this.timer !== undefined && delayMs > 0) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startExport();
    }, delayMs);
    this.timer.unref();
  }

  /** Export the oldest sealed batch, or the open one when none is sealed. */
  private startExport(): void {
    if (this.inFlight !== undefined || this.queued === 0) return;
    let batch = this.sealed.shift();
    if (batch === undefined) {
      batch = this.open;
      this.open = emptyBatch();
    }
    this.queued -= batch.spans;
    const dropped = this.dropped;
    this.dropped = 0;
    if (dropped > 0) {
      this.report("trace spans dropped: the export queue was full", { dropped, maxQueueSize: this.config.maxQueueSize });
    }
    const spans = batch.spans;
    this.inFlight = this.send(batch)
      .catch((error: unknown) => {
        this.report("trace export failed; its spans are lost", { spans, error: String(error) });
      })
      .finally(() => {
        this.inFlight = undefined;
        if (this.stopped || this.queued === 0) return;
        this.exportSoon(this.sealed.length > 0 ? 0 : this.config.scheduleDelayMs);
      });
  }

  private async send(batch: Batch): Promise<void> {
    const parts: ScopeBatch[] = [];
    for (const [scope, writer] of batch.scopes) {
      parts.push({ scope: this.scopes[scope] as Buffer, spans: writer.buffer.subarray(0, writer.pos) });
    }
    const encoded = encodeExportRequest(this.resource, parts);
    // Compressed off the event loop (zlib's thread pool): a full batch is a few hundred kilobytes.
    const body = this.config.gzip ? await gzipAsync(encoded) : encoded;
    const headers: Record<string, string> = {
      ...this.config.headers,
      "content-type": "application/x-protobuf",
      ...(this.config.gzip ? { "content-encoding": "gzip" } : {}),
    };
    const deadline = Date.now() + this.config.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(body, headers, deadline);
      if (outcome === "delivered") return;
      const backoffMs = outcome.retryAfterMs ?? 2 ** attempt * 100 * (0.5 + Math.random());
      if (!outcome.retryable || attempt >= MAX_ATTEMPTS || Date.now() + backoffMs >= deadline) {
        throw new Error(outcome.failure);
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs).unref());
    }
  }

  /** One POST: delivered, or why not and whether OTLP says to try again (retryable statuses, a lost connection). */
  private async attempt(
    body: Uint8Array,
    headers: Record<string, string>,
    deadline: number,
  ): Promise<"delivered" | { failure: string; retryable: boolean; retryAfterMs?: number }> {
    let statusCode: number;
    let text: string;
    let retryAfter: number;
    try {
      const response = await request(this.config.url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
      text = await response.body.text();
      statusCode = response.statusCode;
      retryAfter = Number(response.headers["retry-after"]);
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      return { failure: `the collector could not be reached: ${String(error)}`, retryable: !timedOut };
    }
    if (statusCode >= 200 && statusCode < 300) return "delivered";
    return {
      failure: `the collector answered ${statusCode}: ${text.slice(0, 200)}`,
      retryable: RETRYABLE.has(statusCode),
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  }
}
