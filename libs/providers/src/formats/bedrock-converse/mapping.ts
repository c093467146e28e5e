/**
 * Bedrock stop reasons, usage and media formats. Bedrock's inputTokens, like Anthropic's, excludes tokens read
 * from or written to the prompt cache.
 */
import type { FinishReason } from "../../canonical/response.js";
import { type CanonicalUsage, uncachedInputTokens } from "../../canonical/usage.js";
import type { BedrockUsage } from "./schema.js";

export function finishReasonFromBedrock(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "guardrail_intervened":
    case "content_filtered":
      return "content_filter";
    default:
      return "other";
  }
}

export function finishReasonToBedrock(reason: FinishReason): string {
  switch (reason) {
    case "stop":
    case "other":
      return "end_turn";
    case "length":
      return "max_tokens";
    case "tool_calls":
      return "tool_use";
    case "content_filter":
      return "content_filtered";
  }
}

export function usageFromBedrock(usage: BedrockUsage): CanonicalUsage {
  const read = usage.cacheReadInputTokens ?? undefined;
  const write = usage.cacheWriteInputTokens ?? undefined;
  const out: CanonicalUsage = {
    inputTokens: (usage.inputTokens ?? 0) + (read ?? 0) + (write ?? 0),
    outputTokens: usage.outputTokens ?? 0,
  };
  if (read !== undefined) out.cachedInputTokens = read;
  if (write !== undefined) out.cacheWriteInputTokens = write;
  return out;
}

export function usageToBedrock(usage: CanonicalUsage): Record<string, number> {
  const out: Record<string, number> = {
    inputTokens: uncachedInputTokens(usage),
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) out.cacheReadInputTokens = usage.cachedInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) out.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  return out;
}

const DOCUMENT_FORMATS: Record<string, string> = {
  "application/pdf": "pdf",
  "text/csv": "csv",
  "text/html": "html",
  "text/plain": "txt",
  "text/markdown": "md",
  "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
};
const DOCUMENT_MEDIA_TYPES = Object.fromEntries(Object.entries(DOCUMENT_FORMATS).map(([type, format]) => [format, type]));

export function documentFormat(mediaType: string): string | undefined {
  return DOCUMENT_FORMATS[mediaType];
}

export function documentMediaType(format: string): string {
  return DOCUMENT_MEDIA_TYPES[format] ?? "application/octet-stream";
}

const IMAGE_FORMATS = new Set(["png", "jpeg", "gif", "webp"]);

export function imageFormat(mediaType: string): string | undefined {
  const subtype = mediaType.slice(mediaType.indexOf("/") + 1).toLowerCase();
  const format = subtype === "jpg" ? "jpeg" : subtype;
  return IMAGE_FORMATS.has(format) ? format : undefined;
}

/** Bedrock document names allow letters, digits, single spaces, hyphens, parentheses and square brackets. */
export function documentName(filename: string | undefined, position: number): string {
  const base = (filename ?? "").replace(/\.[^.]*$/, "");
  const cleaned = base
    .replace(/[^a-zA-Z0-9\-()[\] ]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned === "" ? `document-${position}` : cleaned;
}
