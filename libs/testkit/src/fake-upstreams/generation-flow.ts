/**
 * The one request flow every fake generation endpoint shares: parse the provider's body into a conversation,
 * refuse unknown models, take the next script step, then answer with the step's error or the model's reply,
 * rendered whole or as a stream by the provider's protocol.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isAppError } from "@thinkwatch/errors";
import type { FakeConversation, FakeReply } from "./conversation.js";
import type { FakeExchange } from "./fake-exchange.js";
import type { ParsedFakeScript } from "./fake-script.js";
import type { IdSource } from "./id-source.js";
import { type ProviderError, sendJson, sendProviderError, sendStream } from "./respond.js";
import { planReply } from "./scripted-model.js";

/** Per-instance state a protocol may use while rendering. */
export interface FakeRuntime {
  readonly ids: IdSource;
  /** When set, requests for other models get the provider's "model not found". */
  readonly models: readonly string[] | undefined;
  takeStep(): ParsedFakeScript | undefined;
  /** With a fault rate set: a failing step for this share of unscripted requests. */
  randomFault(): ParsedFakeScript | undefined;
}

export interface RenderedStream {
  contentType: string;
  chunks: (string | Uint8Array)[];
  headers?: Record<string, string>;
}

/** A request read by a protocol: the conversation for the model, and how to render the reply to it. */
export interface ParsedGeneration {
  conversation: FakeConversation;
  renderJson(reply: FakeReply): unknown;
  renderStream(reply: FakeReply): RenderedStream;
}

export interface GenerationProtocol {
  /** Throws an AppError (its status and message become the provider's error) when the request is invalid. */
  parse(exchange: FakeExchange, runtime: FakeRuntime): ParsedGeneration;
  /** Tool-call ids in the provider's style (`call_…`, `toolu_…`, `tooluse_…`). */
  toolCallId(ids: IdSource): string;
  /** The provider's error response for a status (and message), e.g. OpenAI's `{ error: { message, type, … } }`. */
  error(status: number, message?: string): ProviderError;
  /** The provider's error event inside a stream, sent as the chunk at `index`. */
  streamError(status: number, message: string | undefined, index: number): string | Uint8Array;
  /** Extra headers on successful responses (request ids and the like). */
  responseHeaders?(runtime: FakeRuntime): Record<string, string>;
}

export async function runGeneration(exchange: FakeExchange, protocol: GenerationProtocol, runtime: FakeRuntime): Promise<void> {
  let parsed: ParsedGeneration;
  try {
    parsed = protocol.parse(exchange, runtime);
  } catch (error) {
    if (!isAppError(error)) throw error;
    await sendProviderError(exchange, protocol.error(error.status, error.message));
    return;
  }
  const { conversation } = parsed;
  if (runtime.models !== undefined && !runtime.models.includes(conversation.model)) {
    await sendProviderError(
      exchange,
      protocol.error(404, `The model \`${conversation.model}\` does not exist or you do not have access to it.`),
    );
    return;
  }

  const step = runtime.takeStep() ?? runtime.randomFault();
  if (step?.resetConnection === true) {
    if (step.firstByteDelayMs) await sleep(step.firstByteDelayMs);
    exchange.reset();
    return;
  }
  if (step?.error !== undefined) {
    const shaped = protocol.error(step.error.status, step.error.message);
    const body = step.error.body === undefined ? shaped.body : step.error.body;
    await sendProviderError(
      exchange,
      { status: step.error.status, body, headers: { ...shaped.headers, ...step.error.headers } },
      step,
    );
    return;
  }

  const reply = planReply(conversation, step, () => protocol.toolCallId(runtime.ids));
  const headers = protocol.responseHeaders?.(runtime) ?? {};
  if (conversation.stream) {
    const stream = parsed.renderStream(reply);
    const failure = step?.midStreamError;
    const chunks =
      failure === undefined
        ? stream.chunks
        : [
            ...stream.chunks.slice(0, failure.afterChunks),
            protocol.streamError(failure.status ?? 500, failure.message, failure.afterChunks),
          ];
    await sendStream(exchange, stream.contentType, chunks, step, { ...headers, ...stream.headers });
  } else {
    await sendJson(exchange, 200, parsed.renderJson(reply), step, headers);
  }
}
