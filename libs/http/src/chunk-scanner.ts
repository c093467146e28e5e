/**
 * JSON delimiting on bytes, for parse-json-bytes: where a string or a value ends — string contents skipped with
 * indexOf, brackets counted — over a body kept in the chunks it arrived in (BodyChunks; a whole buffer is one chunk),
 * with positions counted across the chunks, so a string, an escape or a token may straddle a chunk boundary.
 */
import type { BodyChunks } from "./body-chunks.js";

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;

export class ChunkScanner {
  private readonly chunks: readonly Buffer[];
  /** Where each chunk starts in the body. */
  private readonly starts: number[] = [];
  /** The chunk the last position was in: scans move forward, so the next one is usually there or just after. */
  private current = 0;

  constructor(body: BodyChunks) {
    this.chunks = body.chunks;
    let start = 0;
    for (const chunk of this.chunks) {
      this.starts.push(start);
      start += chunk.length;
    }
  }

  /** The byte at `at` (which must be inside the body). */
  byte(at: number): number {
    const chunk = this.chunkAt(at);
    return chunk[at - (this.starts[this.current] as number)] as number;
  }

  skipSpace(at: number, end: number): number {
    while (at < end && isSpace(this.byte(at))) at += 1;
    return at;
  }

  trimEnd(start: number, end: number): number {
    while (end > start && isSpace(this.byte(end - 1))) end -= 1;
    return end;
  }

  /**
   * The position just past the closing quote of the string that opens at `at`. Its contents are skipped with
   * indexOf chunk by chunk; a quote is the closing one when an even number of backslashes precede it.
   */
  scanString(at: number, end: number): number {
    let chunk = this.chunkAt(at + 1 < end ? at + 1 : at);
    let base = this.starts[this.current] as number;
    let from = at + 1;
    for (;;) {
      if (from >= end) throw syntaxError("Unterminated string in JSON", at);
      const found = chunk.indexOf(QUOTE, from - base);
      if (found === -1) {
        // Not in this chunk: on to the next one.
        base += chunk.length;
        if (base >= end || this.current + 1 >= this.chunks.length) throw syntaxError("Unterminated string in JSON", at);
        this.current += 1;
        chunk = this.chunks[this.current] as Buffer;
        from = base;
        continue;
      }
      const quote = base + found;
      if (quote >= end) throw syntaxError("Unterminated string in JSON", at);
      let i = found - 1;
      const floor = Math.max(at + 1 - base, 0);
      while (i >= floor && chunk[i] === BACKSLASH) i -= 1;
      let backslashes = found - 1 - i;
      if (i < floor && base > at + 1) {
        // The run of backslashes reaches back into the chunks before.
        for (let j = base - 1; j > at && this.byte(j) === BACKSLASH; j--) backslashes += 1;
        this.chunkAt(quote);
      }
      if (backslashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  }

  /**
   * Where the value starting at `at` ends (exclusive). Strings and containers are delimited exactly; a container's
   * contents and any other token are left for JSON.parse to check.
   */
  scanValue(at: number, end: number): number {
    if (at >= end) throw syntaxError("Unexpected end of JSON input", at);
    const first = this.byte(at);
    if (first === QUOTE) return this.scanString(at, end);
    if (first === OPEN_OBJECT || first === OPEN_ARRAY) return this.scanContainer(at, end);
    // A number or a literal: up to the next delimiter. An empty token is an error JSON.parse reports.
    let i = at;
    while (i < end) {
      const byte = this.byte(i);
      if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)) break;
      i += 1;
    }
    if (i === at) throw syntaxError(`Unexpected token '${String.fromCharCode(first)}'`, at);
    return i;
  }

  private scanContainer(at: number, end: number): number {
    let depth = 0;
    let i = at;
    while (i < end) {
      const chunk = this.chunkAt(i);
      const base = this.starts[this.current] as number;
      const limit = Math.min(chunk.length, end - base);
      let next = base + limit;
      for (let local = i - base; local < limit; local++) {
        const byte = chunk[local];
        if (byte === QUOTE) {
          next = this.scanString(base + local, end);
          break;
        }
        if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
          depth += 1;
        } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
          depth -= 1;
          if (depth === 0) return base + local + 1;
        }
      }
      i = next;
    }
    throw syntaxError("Unexpected end of JSON input", end);
  }

  private chunkAt(at: number): Buffer {
    while (this.current > 0 && at < (this.starts[this.current] as number)) this.current -= 1;
    while (at >= (this.starts[this.current] as number) + (this.chunks[this.current] as Buffer).length) this.current += 1;
    return this.chunks[this.current] as Buffer;
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export function syntaxError(message: string, at: number): SyntaxError {
  return new SyntaxError(`${message} at position ${at}`);
}
