/**
 * Incremental server-sent-events parser (WHATWG event-stream rules): bytes or strings in, events out, with events
 * split across arbitrary chunk boundaries, LF / CR / CRLF line ends (a CRLF may straddle two chunks), multi-line
 * data joined with "\n", and comment lines (": ping") ignored. A partial line is kept as a list of pieces, so a long
 * line fed byte by byte costs linear time.
 */
export interface SseEvent {
  /** The `event:` field; absent for unnamed events (OpenAI, Gemini). */
  event?: string;
  data: string;
  id?: string;
}

const LF = 10;
const CR = 13;

export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private pieces: string[] = [];
  private afterCr = false;
  private atStart = true;
  private dataLines: string[] = [];
  private eventName: string | undefined;
  private lastId: string | undefined;

  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    this.scan(text, out);
    return out;
  }

  /** End of input: a final event without its blank line is still delivered (servers that close early). */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    const rest = this.decoder.decode();
    if (rest !== "") this.scan(rest, out);
    if (this.pieces.length > 0) {
      const line = this.pieces.join("");
      this.pieces = [];
      this.line(line, out);
    }
    this.dispatch(out);
    return out;
  }

  private scan(input: string, out: SseEvent[]): void {
    let text = input;
    if (this.atStart && text.length > 0) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let lineStart = 0;
    if (this.afterCr && text.charCodeAt(0) === LF) lineStart = 1;
    this.afterCr = false;
    for (let i = lineStart; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== LF && code !== CR) continue;
      const tail = text.slice(lineStart, i);
      let line = tail;
      if (this.pieces.length > 0) {
        this.pieces.push(tail);
        line = this.pieces.join("");
        this.pieces = [];
      }
      this.line(line, out);
      if (code === CR) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === LF) i++;
        } else {
          this.afterCr = true;
        }
      }
      lineStart = i + 1;
    }
    if (lineStart < text.length) this.pieces.push(text.slice(lineStart));
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === "") {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") this.dataLines.push(value);
    else if (field === "event") this.eventName = value;
    else if (field === "id" && !value.includes("\0")) this.lastId = value;
  }

  private dispatch(out: SseEvent[]): void {
    if (this.dataLines.length > 0) {
      const event: SseEvent = { data: this.dataLines.length === 1 ? (this.dataLines[0] as string) : this.dataLines.join("\n") };
      if (this.eventName !== undefined && this.eventName !== "") event.event = this.eventName;
      if (this.lastId !== undefined) event.id = this.lastId;
      out.push(event);
    }
    this.dataLines = [];
    this.eventName = undefined;
  }
}
