/**
 * Splits a streamed top-level JSON array (`[{…},\n{…}]`, what Gemini's streamGenerateContent sends without
 * `alt=sse`) into the text of each element as soon as it is complete. One pass over the characters, tracking
 * strings and escapes, so braces inside strings do not count.
 */
export class JsonArraySplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private pieces: string[] = [];

  push(text: string): string[] {
    const out: string[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === 92 /* \ */) this.escaped = true;
        else if (ch === 34 /* " */) this.inString = false;
        continue;
      }
      if (ch === 34) {
        if (this.depth > 0) this.inString = true;
      } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
        if (this.depth === 0) {
          // At depth 0 a bracket is the outer array's own, not part of any element.
          if (ch === 91) continue;
          start = i;
        }
        this.depth++;
      } else if (ch === 125 /* } */ || ch === 93 /* ] */) {
        if (this.depth === 0) continue;
        this.depth--;
        if (this.depth === 0) {
          this.pieces.push(text.slice(start, i + 1));
          out.push(this.pieces.join(""));
          this.pieces = [];
          start = -1;
        }
      }
    }
    if (this.depth > 0 && start !== -1) this.pieces.push(text.slice(start));
    return out;
  }
}
