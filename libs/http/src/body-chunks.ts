/**
 * A request body as it arrived: the socket's chunks, kept apart. Joining them is a fresh buffer the size of the body,
 * and on these machines a fresh megabyte costs about 1 ms of page faults before a byte is copied; a large body
 * forwarded as it came is read for its head across the chunks (parseJsonObjectSkipping) and written upstream chunk by
 * chunk, so it is never joined. `bytes()` joins it once, for whatever needs it whole.
 */
export class BodyChunks {
  #joined: Buffer | undefined;

  constructor(
    readonly chunks: readonly Buffer[],
    /** Total bytes. */
    readonly length: number,
  ) {
    if (chunks.length === 1) this.#joined = chunks[0];
  }

  static of(bytes: Uint8Array): BodyChunks {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new BodyChunks([buffer], buffer.length);
  }

  /** The body in one buffer, joined on first use. */
  bytes(): Buffer {
    this.#joined ??= this.chunks.length === 0 ? Buffer.alloc(0) : Buffer.concat(this.chunks as Buffer[], this.length);
    return this.#joined;
  }

  /** Bytes [start, end) as one buffer: a view when they lie in one chunk, a small copy when they span several. */
  slice(start: number, end: number): Buffer {
    if (this.#joined !== undefined) return this.#joined.subarray(start, end);
    const pieces: Buffer[] = [];
    let base = 0;
    for (const chunk of this.chunks) {
      const next = base + chunk.length;
      if (next > start && base < end) pieces.push(chunk.subarray(Math.max(start - base, 0), Math.min(end - base, chunk.length)));
      if (next >= end) break;
      base = next;
    }
    return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, end - start);
  }
}
