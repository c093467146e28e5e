/**
 * Writing a fake's response the way a script step asks: a delay before the first byte, pauses between stream
 * chunks, or a connection dropped part-way. Without a step nothing waits: the fakes double as the fast
 * "direct upstream" of benchmarks.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isAppError } from "@thinkwatch/errors";
import type { FakeExchange } from "./fake-exchange.js";
import type { ParsedFakeScript } from "./fake-script.js";

export type ResponseTiming = Pick<
  ParsedFakeScript,
  "delayMs" | "firstByteDelayMs" | "dieMidStreamAfterChunks" | "stallMidStream"
>;

export interface ProviderError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export async function sendJson(
  exchange: FakeExchange,
  status: number,
  body: unknown,
  timing: ResponseTiming = {},
  headers: Record<string, string> = {},
): Promise<void> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const allHeaders = { "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json", ...headers };
  const wait = (timing.firstByteDelayMs ?? 0) + (timing.delayMs ?? 0);
  if (wait > 0) await sleep(wait);
  if (exchange.closed) return;
  if (timing.dieMidStreamAfterChunks !== undefined) {
    // Announce the full length, deliver half: the client sees a body cut short, as when an upstream dies.
    exchange.startStream(status, { ...allHeaders, "content-length": String(Buffer.byteLength(text)) });
    await exchange.write(text.slice(0, Math.floor(text.length / 2)));
    exchange.abort();
    return;
  }
  exchange.send(status, allHeaders, text);
}

export async function sendProviderError(
  exchange: FakeExchange,
  error: ProviderError,
  timing: ResponseTiming = {},
): Promise<void> {
  await sendJson(exchange, error.status, error.body, { firstByteDelayMs: timing.firstByteDelayMs }, error.headers);
}

export async function sendStream(
  exchange: FakeExchange,
  contentType: string,
  chunks: readonly (string | Uint8Array)[],
  timing: ResponseTiming = {},
  headers: Record<string, string> = {},
): Promise<void> {
  if (timing.firstByteDelayMs) await sleep(timing.firstByteDelayMs);
  if (exchange.closed) return;
  const allHeaders = { "content-type": contentType, "cache-control": "no-cache", ...headers };
  const dieAfter = timing.dieMidStreamAfterChunks;
  const stall = timing.stallMidStream;
  if (!timing.delayMs && dieAfter === undefined && stall === undefined) {
    // Nothing to wait for between chunks: one socket write instead of one per chunk keeps the benchmark lane fast.
    exchange.sendChunks(200, allHeaders, chunks);
    return;
  }
  exchange.startStream(200, allHeaders);
  const count = dieAfter === undefined ? chunks.length : Math.min(dieAfter, chunks.length);
  for (let i = 0; i < count; i++) {
    if (i > 0 && timing.delayMs) await sleep(timing.delayMs);
    if (stall !== undefined && i === stall.afterChunks) await sleepUnlessGone(exchange, stall.ms);
    if (exchange.closed) return;
    await exchange.write(chunks[i] as string | Uint8Array);
  }
  // A dying upstream never finishes its stream, even when told to die after its last chunk.
  if (dieAfter === undefined) exchange.end();
  else exchange.abort();
}

/** Answers 200 with what `compute` returns, or with the provider's error when it throws an AppError. */
export async function sendComputed(
  exchange: FakeExchange,
  compute: () => unknown,
  toError: (status: number, message: string) => ProviderError,
  headers: Record<string, string> = {},
): Promise<void> {
  let body: unknown;
  try {
    body = compute();
  } catch (error) {
    if (!isAppError(error)) throw error;
    await sendProviderError(exchange, toError(error.status, error.message));
    return;
  }
  await sendJson(exchange, 200, body, {}, headers);
}

/** A long pause that ends early when the client goes away (so a stalled fake does not outlive its test). */
async function sleepUnlessGone(exchange: FakeExchange, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!exchange.closed && Date.now() < until) await sleep(Math.min(50, until - Date.now()));
}
