/**
 * Rendering the fake model's reply as a Gemini `GenerateContentResponse`, or as the chunks of
 * `streamGenerateContent` (thought pieces, text pieces, whole function calls; the last chunk carries the finish
 * reason and the full usage metadata), framed as SSE (`alt=sse`) or as a streamed JSON array.
 */
import type { FakeConversation, FakeReply } from "./conversation.js";
import type { FakeUsage, FinishReason } from "./fake-script.js";
import { sseData } from "./sse.js";
import { splitText } from "./stream-pieces.js";

const FINISH: Record<FinishReason, string> = { stop: "STOP", length: "MAX_TOKENS", tool_calls: "STOP", content_filter: "SAFETY" };

type Part = Record<string, unknown>;

export function geminiUsage(usage: FakeUsage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: usage.outputTokens - usage.reasoningTokens,
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens > 0) out.cachedContentTokenCount = usage.cachedInputTokens;
  if (usage.reasoningTokens > 0) out.thoughtsTokenCount = usage.reasoningTokens;
  out.promptTokensDetails = [{ modality: "TEXT", tokenCount: usage.inputTokens }];
  return out;
}

export function renderGenerateContent(
  responseId: string,
  reply: FakeReply,
  conversation: FakeConversation,
): Record<string, unknown> {
  const parts: Part[] = [];
  if (reply.reasoning !== undefined) parts.push({ text: reply.reasoning, thought: true });
  if (reply.text !== "" || reply.toolCalls.length === 0) parts.push({ text: reply.text });
  parts.push(...functionCallParts(reply));
  return response(responseId, conversation, parts, { finishReason: FINISH[reply.finishReason], usage: reply.usage });
}

export function renderGenerateContentChunks(
  responseId: string,
  reply: FakeReply,
  conversation: FakeConversation,
  sse: boolean,
): string[] {
  const partsPerChunk: Part[][] = [
    ...splitText(reply.reasoning ?? "").map((text) => [{ text, thought: true }]),
    ...splitText(reply.text).map((text) => [{ text }]),
    ...functionCallParts(reply).map((part) => [part]),
  ];
  if (partsPerChunk.length === 0) partsPerChunk.push([{ text: "" }]);
  const chunks = partsPerChunk.map((parts, i) => {
    const last = i === partsPerChunk.length - 1;
    return response(
      responseId,
      conversation,
      parts,
      last ? { finishReason: FINISH[reply.finishReason], usage: reply.usage } : undefined,
    );
  });
  if (sse) return chunks.map((chunk) => sseData(chunk, "\r\n\r\n"));
  // Without alt=sse the API streams one JSON array, element by element.
  return [...chunks.map((chunk, i) => `${i === 0 ? "[" : ",\r\n"}${JSON.stringify(chunk)}`), "]"];
}

function functionCallParts(reply: FakeReply): Part[] {
  return reply.toolCalls.map((call, i) => {
    const part: Part = { functionCall: { name: call.name, args: parseArgs(call.arguments) } };
    // Thinking models sign the first function call of a turn; the signature must be sent back with it.
    if (i === 0 && reply.reasoningSignature !== undefined) part.thoughtSignature = reply.reasoningSignature;
    return part;
  });
}

function response(
  responseId: string,
  conversation: FakeConversation,
  parts: Part[],
  end: { finishReason: string; usage: FakeUsage } | undefined,
): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts, role: "model" }, index: 0 };
  if (end !== undefined) candidate.finishReason = end.finishReason;
  const body: Record<string, unknown> = { candidates: [candidate] };
  if (end !== undefined) body.usageMetadata = geminiUsage(end.usage);
  body.modelVersion = conversation.model;
  body.responseId = responseId;
  return body;
}

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { _raw: text };
  }
}
