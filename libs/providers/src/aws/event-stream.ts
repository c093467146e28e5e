/**
 * AWS event-stream framing (`application/vnd.amazon.eventstream`), the binary stream Bedrock's ConverseStream
 * answers with. A frame is: total length (u32) · headers length (u32) · CRC32 of those 8 bytes · headers ·
 * payload · CRC32 of everything before it. All integers big-endian.
 * The gateway only reads frames; the writer the fake Bedrock upstream uses lives in @thinkwatch/testkit.
 */
import { AppError } from "@thinkwatch/errors";
import { crc32 } from "./crc32.js";
import { decodeEventStreamHeaders, type EventStreamHeaders } from "./event-stream-headers.js";

export interface EventStreamMessage {
  headers: EventStreamHeaders;
  payload: Uint8Array;
}

const PRELUDE_BYTES = 12;
const FRAME_OVERHEAD = PRELUDE_BYTES + 4;
/** AWS caps a message at 16 MiB and its headers at 128 KiB; anything larger is a corrupt length. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const MAX_HEADERS_BYTES = 128 * 1024;

/** Decodes exactly one complete frame, verifying both checksums. */
export function decodeEventStreamMessage(frame: Uint8Array): EventStreamMessage {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame.length < FRAME_OVERHEAD)
    throw corrupt(`frame of ${frame.length} bytes is shorter than the ${FRAME_OVERHEAD}-byte minimum`);
  const { total, headersLength } = readPrelude(view);
  if (total !== frame.length) throw corrupt(`frame says ${total} bytes but ${frame.length} were given`);
  const expected = view.getUint32(total - 4);
  const actual = crc32(frame, 0, 0, total - 4);
  if (expected !== actual) throw corrupt(`message checksum mismatch (expected ${hex(expected)}, computed ${hex(actual)})`);
  const payloadStart = PRELUDE_BYTES + headersLength;
  return {
    headers: decodeEventStreamHeaders(frame.subarray(PRELUDE_BYTES, payloadStart)),
    payload: frame.subarray(payloadStart, total - 4),
  };
}

function readPrelude(view: DataView): { total: number; headersLength: number } {
  const total = view.getUint32(0);
  const headersLength = view.getUint32(4);
  const expected = view.getUint32(8);
  const actual = crc32(new Uint8Array(view.buffer, view.byteOffset, 8));
  if (expected !== actual) throw corrupt(`prelude checksum mismatch (expected ${hex(expected)}, computed ${hex(actual)})`);
  if (total < FRAME_OVERHEAD || total > MAX_MESSAGE_BYTES) throw corrupt(`implausible message length ${total}`);
  if (headersLength > MAX_HEADERS_BYTES || headersLength > total - FRAME_OVERHEAD) {
    throw corrupt(`implausible headers length ${headersLength} in a ${total}-byte message`);
  }
  return { total, headersLength };
}

export interface EventStreamDecoder {
  /** Feeds bytes as they arrive; returns every message completed by them, in order. */
  push(chunk: Uint8Array): EventStreamMessage[];
  /** Bytes held for an incomplete frame. */
  readonly bufferedBytes: number;
  /** Call at end of stream: throws if the stream stopped in the middle of a frame. */
  finish(): void;
}

/**
 * An incremental decoder: frames may be split across chunks at any byte and a chunk may hold several frames.
 * Partial bytes are kept as a list of chunks and joined once per frame, so a large frame arriving in many
 * small pieces costs linear, not quadratic, copying.
 */
export function createEventStreamDecoder(): EventStreamDecoder {
  let chunks: Uint8Array[] = [];
  let buffered = 0;
  let frameLength = 0; // 0 until the current frame's prelude has arrived and checked out

  const take = (n: number): Uint8Array => {
    const first = chunks[0] as Uint8Array;
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) chunks.shift();
      else chunks[0] = first.subarray(n);
      buffered -= n;
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = chunks[0] as Uint8Array;
      const used = Math.min(chunk.length, n - filled);
      out.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used === chunk.length) chunks.shift();
      else chunks[0] = chunk.subarray(used);
    }
    buffered -= n;
    return out;
  };

  const peekPrelude = (): Uint8Array => {
    const first = chunks[0] as Uint8Array;
    if (first.length >= PRELUDE_BYTES) return first.subarray(0, PRELUDE_BYTES);
    const out = new Uint8Array(PRELUDE_BYTES);
    let filled = 0;
    for (const chunk of chunks) {
      const used = Math.min(chunk.length, PRELUDE_BYTES - filled);
      out.set(chunk.subarray(0, used), filled);
      filled += used;
      if (filled === PRELUDE_BYTES) break;
    }
    return out;
  };

  return {
    push(chunk) {
      if (chunk.length > 0) {
        chunks.push(chunk);
        buffered += chunk.length;
      }
      const messages: EventStreamMessage[] = [];
      for (;;) {
        if (frameLength === 0) {
          if (buffered < PRELUDE_BYTES) break;
          const prelude = peekPrelude();
          // Checked before waiting for the body, so garbage fails fast instead of waiting for a bogus length.
          frameLength = readPrelude(new DataView(prelude.buffer, prelude.byteOffset, PRELUDE_BYTES)).total;
        }
        if (buffered < frameLength) break;
        const frame = take(frameLength);
        frameLength = 0;
        messages.push(decodeEventStreamMessage(frame));
      }
      return messages;
    },
    get bufferedBytes() {
      return buffered;
    },
    finish() {
      if (buffered > 0) {
        const held = buffered;
        chunks = [];
        buffered = 0;
        frameLength = 0;
        throw corrupt(`stream ended inside a frame (${held} bytes left over)`);
      }
    },
  };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

function corrupt(message: string): AppError {
  return new AppError("upstream_error", `malformed event-stream frame: ${message}`);
}
