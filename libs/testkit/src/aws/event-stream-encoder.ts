/**
 * Writing AWS event-stream frames (`application/vnd.amazon.eventstream`), as Bedrock's ConverseStream sends them:
 * the fake Bedrock upstream's side of the wire. The gateway only reads frames (the decoder in @thinkwatch/providers);
 * the wire constants are written out here again rather than shared, so a wrong constant on one side shows up as a
 * failed round trip instead of agreeing with itself. Tests also check these frames against the AWS SDK's own codec.
 *
 * A frame is: total length (u32) · headers length (u32) · CRC32 of those 8 bytes · headers · payload · CRC32 of
 * everything before it. A header is a 1-byte name length, the UTF-8 name, a 1-byte type tag and the value
 * (big-endian numbers; 2-byte length prefix for binary and string values).
 */
import { AppError } from "@thinkwatch/errors";
import { crc32, type EventStreamHeaders, type EventStreamHeaderValue } from "@thinkwatch/providers";

export interface EventStreamMessageInput {
  /** A plain string is a string-typed header (type 7), the only type Bedrock sends. */
  headers: Record<string, EventStreamHeaderValue | string>;
  payload: Uint8Array | string;
}

const PRELUDE_BYTES = 12;
const FRAME_OVERHEAD = PRELUDE_BYTES + 4;
/** Type tags on the wire. Booleans have no value bytes: the tag itself says true (0) or false (1). */
const TAG = { true: 0, false: 1, byte: 2, short: 3, integer: 4, long: 5, binary: 6, string: 7, timestamp: 8, uuid: 9 } as const;
const MAX_VALUE_BYTES = 32_767;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const utf8 = new TextEncoder();

export function encodeEventStreamMessage(message: EventStreamMessageInput): Uint8Array {
  const typed: EventStreamHeaders = {};
  for (const [name, value] of Object.entries(message.headers)) {
    typed[name] = typeof value === "string" ? { type: "string", value } : value;
  }
  const headers = encodeEventStreamHeaders(typed);
  const payload = typeof message.payload === "string" ? utf8.encode(message.payload) : message.payload;
  const total = FRAME_OVERHEAD + headers.length + payload.length;
  const frame = new Uint8Array(total);
  const view = new DataView(frame.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headers.length);
  view.setUint32(8, crc32(frame, 0, 0, 8));
  frame.set(headers, PRELUDE_BYTES);
  frame.set(payload, PRELUDE_BYTES + headers.length);
  view.setUint32(total - 4, crc32(frame, 0, 0, total - 4));
  return frame;
}

export function encodeEventStreamHeaders(headers: EventStreamHeaders): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const [name, header] of Object.entries(headers)) {
    const nameBytes = utf8.encode(name);
    if (nameBytes.length === 0 || nameBytes.length > 255) throw invalid(`header name must be 1-255 bytes: ${name}`);
    const value = encodeValue(name, header);
    const part = new Uint8Array(1 + nameBytes.length + value.length);
    part[0] = nameBytes.length;
    part.set(nameBytes, 1);
    part.set(value, 1 + nameBytes.length);
    parts.push(part);
    size += part.length;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function encodeValue(name: string, header: EventStreamHeaderValue): Uint8Array {
  switch (header.type) {
    case "boolean":
      return Uint8Array.of(header.value ? TAG.true : TAG.false);
    case "byte":
      return withView(1, TAG.byte, (v) => v.setInt8(1, header.value));
    case "short":
      return withView(2, TAG.short, (v) => v.setInt16(1, header.value));
    case "integer":
      return withView(4, TAG.integer, (v) => v.setInt32(1, header.value));
    case "long":
      return withView(8, TAG.long, (v) => v.setBigInt64(1, header.value));
    case "timestamp":
      return withView(8, TAG.timestamp, (v) => v.setBigInt64(1, BigInt(header.value.getTime())));
    case "binary":
      return lengthPrefixed(name, TAG.binary, header.value);
    case "string":
      return lengthPrefixed(name, TAG.string, utf8.encode(header.value));
    case "uuid": {
      if (!UUID.test(header.value)) throw invalid(`header ${name} is not a UUID`);
      const out = new Uint8Array(17);
      out[0] = TAG.uuid;
      out.set(Buffer.from(header.value.replace(/-/g, ""), "hex"), 1);
      return out;
    }
  }
}

function withView(valueBytes: number, tag: number, write: (view: DataView) => void): Uint8Array {
  const out = new Uint8Array(1 + valueBytes);
  out[0] = tag;
  write(new DataView(out.buffer));
  return out;
}

function lengthPrefixed(name: string, tag: number, bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_VALUE_BYTES) throw invalid(`header ${name} value exceeds ${MAX_VALUE_BYTES} bytes`);
  const out = new Uint8Array(3 + bytes.length);
  out[0] = tag;
  new DataView(out.buffer).setUint16(1, bytes.length);
  out.set(bytes, 3);
  return out;
}

function invalid(message: string): AppError {
  return new AppError("internal", `cannot encode event-stream message: ${message}`);
}
