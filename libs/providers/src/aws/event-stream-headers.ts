/**
 * The typed header block of an AWS event-stream message: per header a 1-byte name length, the UTF-8 name, a
 * 1-byte type tag and the value (big-endian numbers; 2-byte length prefix for binary and string values).
 */
import { AppError } from "@thinkwatch/errors";

export type EventStreamHeaderValue =
  | { type: "boolean"; value: boolean }
  | { type: "byte"; value: number }
  | { type: "short"; value: number }
  | { type: "integer"; value: number }
  | { type: "long"; value: bigint }
  | { type: "binary"; value: Uint8Array }
  | { type: "string"; value: string }
  | { type: "timestamp"; value: Date }
  | { type: "uuid"; value: string };

export type EventStreamHeaders = Record<string, EventStreamHeaderValue>;

/** Type tags on the wire. Booleans have no value bytes: the tag itself says true (0) or false (1). */
const TAG = { true: 0, false: 1, byte: 2, short: 3, integer: 4, long: 5, binary: 6, string: 7, timestamp: 8, uuid: 9 } as const;
const MAX_VALUE_BYTES = 32_767;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder("utf-8", { fatal: true });

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

export function decodeEventStreamHeaders(bytes: Uint8Array): EventStreamHeaders {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers: EventStreamHeaders = {};
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw corrupt("header block ends inside a header");
  };
  while (pos < bytes.length) {
    need(1);
    const nameLength = bytes[pos++] as number;
    need(nameLength + 1);
    const name = text(bytes.subarray(pos, pos + nameLength));
    pos += nameLength;
    const tag = bytes[pos++] as number;
    let value: EventStreamHeaderValue;
    switch (tag) {
      case TAG.true:
      case TAG.false:
        value = { type: "boolean", value: tag === TAG.true };
        break;
      case TAG.byte:
        need(1);
        value = { type: "byte", value: view.getInt8(pos) };
        pos += 1;
        break;
      case TAG.short:
        need(2);
        value = { type: "short", value: view.getInt16(pos) };
        pos += 2;
        break;
      case TAG.integer:
        need(4);
        value = { type: "integer", value: view.getInt32(pos) };
        pos += 4;
        break;
      case TAG.long:
        need(8);
        value = { type: "long", value: view.getBigInt64(pos) };
        pos += 8;
        break;
      case TAG.timestamp:
        need(8);
        value = { type: "timestamp", value: new Date(Number(view.getBigInt64(pos))) };
        pos += 8;
        break;
      case TAG.binary:
      case TAG.string: {
        need(2);
        const length = view.getUint16(pos);
        pos += 2;
        need(length);
        const slice = bytes.subarray(pos, pos + length);
        value = tag === TAG.binary ? { type: "binary", value: slice.slice() } : { type: "string", value: text(slice) };
        pos += length;
        break;
      }
      case TAG.uuid: {
        need(16);
        const hex = Buffer.from(bytes.subarray(pos, pos + 16)).toString("hex");
        value = {
          type: "uuid",
          value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
        };
        pos += 16;
        break;
      }
      default:
        throw corrupt(`unknown header value type ${tag} for header ${name}`);
    }
    headers[name] = value;
  }
  return headers;
}

function text(bytes: Uint8Array): string {
  try {
    return fromUtf8.decode(bytes);
  } catch (cause) {
    throw new AppError("upstream_error", "event-stream header is not valid UTF-8", { cause });
  }
}

function corrupt(message: string): AppError {
  return new AppError("upstream_error", `malformed event-stream frame: ${message}`);
}

function invalid(message: string): AppError {
  return new AppError("internal", `cannot encode event-stream message: ${message}`);
}
