/**
 * Raw upstream bytes → framed events for an SSE format. Gemini is the one upstream that may also stream a bare
 * JSON array (no `alt=sse`); its framing is detected from the first non-blank character.
 */
import type { SseFormat } from "../formats.js";
import { JsonArraySplitter } from "./json-array-splitter.js";
import { type SseEvent, SseParser } from "./sse-parser.js";

export interface EventFramer {
  push(chunk: Uint8Array | string): SseEvent[];
  end(): SseEvent[];
}

export function createEventFramer(format: SseFormat): EventFramer {
  return format === "gemini" ? new GeminiFramer() : new SseParser();
}

class GeminiFramer implements EventFramer {
  private readonly decoder = new TextDecoder("utf-8");
  private mode: "unknown" | "sse" | "array" = "unknown";
  private readonly sse = new SseParser();
  private readonly array = new JsonArraySplitter();

  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.route(text);
  }

  end(): SseEvent[] {
    const rest = this.route(this.decoder.decode());
    return this.mode === "array" ? rest : [...rest, ...this.sse.end()];
  }

  private route(text: string): SseEvent[] {
    if (this.mode === "unknown") {
      const first = text.trimStart()[0];
      if (first === undefined) return text === "" ? [] : this.sse.push(text);
      this.mode = first === "[" ? "array" : "sse";
    }
    if (this.mode === "sse") return this.sse.push(text);
    return this.array.push(text).map((data) => ({ data }));
  }
}
