/**
 * A documented approximation of input tokens for `/v1/messages/count_tokens` when the upstream has no counting
 * endpoint (OpenAI-compatible ones). Rules: ASCII text ≈ 4 characters per token, any other character ≈ 1 token
 * (CJK and most non-Latin scripts tokenise close to one token per character); 4 tokens of framing per message and
 * per tool; an image ≈ 1,600 tokens (Anthropic's cost of a ~1.15-megapixel image, the size it scales larger ones to);
 * a PDF ≈ 2,000 tokens per page (pages counted from the document's page objects), other documents by their text.
 * Expect ±20% against a real tokenizer on prose; it is a budget estimate, not a bill.
 */
import type { AssistantPart, MediaSource, UserPart } from "../canonical/content.js";
import type { CanonicalRequest } from "../canonical/request.js";

const PER_MESSAGE = 4;
const PER_TOOL = 4;
const PER_IMAGE = 1600;
const PER_PDF_PAGE = 2000;

/** Runs of ASCII characters, removed to leave the others to count. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: every ASCII character, control characters included
const ASCII_RUNS = /[\u0000-\u007f]+/g;

export function estimateTextTokens(text: string): number {
  // All ASCII (most code and English prose): UTF-8 as long as the text, measured natively, without a loop in JS.
  if (Buffer.byteLength(text, "utf8") === text.length) return Math.ceil(text.length / 4);
  const others = text.replace(ASCII_RUNS, "");
  let other = 0;
  for (let i = 0; i < others.length; i++) {
    const code = others.charCodeAt(i);
    // A surrogate pair is one character; count it once.
    if (code < 0xdc00 || code > 0xdfff) other++;
  }
  return Math.ceil((text.length - others.length) / 4) + other;
}

function pdfPages(data: string): number {
  const bytes = Buffer.from(data, "base64").toString("latin1");
  let pages = 0;
  for (const marker of ["/Type /Page", "/Type/Page"]) {
    let at = bytes.indexOf(marker);
    while (at !== -1) {
      // "/Type /Pages" is the page tree, not a page.
      if (bytes[at + marker.length] !== "s") pages++;
      at = bytes.indexOf(marker, at + marker.length);
    }
  }
  return Math.max(1, pages);
}

function fileTokens(source: MediaSource): number {
  if (source.kind === "url") return PER_PDF_PAGE;
  if (source.mediaType === "application/pdf") return pdfPages(source.data) * PER_PDF_PAGE;
  if (source.mediaType.startsWith("text/")) return estimateTextTokens(Buffer.from(source.data, "base64").toString("utf8"));
  return Math.ceil((source.data.length * 3) / 4 / 4);
}

function partTokens(part: UserPart | AssistantPart): number {
  switch (part.type) {
    case "text":
    case "reasoning":
      return estimateTextTokens(part.text);
    case "image":
      return PER_IMAGE;
    case "file":
      return fileTokens(part.source);
    case "tool_call":
      return estimateTextTokens(part.name) + estimateTextTokens(part.arguments) + PER_TOOL;
    case "tool_result":
      return part.content.reduce((sum, item) => sum + partTokens(item), PER_TOOL);
    case "native":
      return estimateTextTokens(JSON.stringify(part.raw));
  }
}

export function countTokensEstimate(req: CanonicalRequest): number {
  let total = 0;
  for (const block of req.system) total += estimateTextTokens(block.text);
  if (req.system.length > 0) total += PER_MESSAGE;
  for (const message of req.messages) {
    total += PER_MESSAGE;
    for (const part of message.content) total += partTokens(part);
  }
  for (const tool of req.tools) {
    total +=
      PER_TOOL +
      estimateTextTokens(tool.name) +
      estimateTextTokens(tool.description ?? "") +
      estimateTextTokens(JSON.stringify(tool.parameters));
  }
  for (const tool of req.nativeTools?.tools ?? []) total += PER_TOOL + estimateTextTokens(JSON.stringify(tool));
  return total;
}
