/**
 * The typed header block of an AWS event-stream message: per header a 1-byte name length, the UTF-8 name, a
 * 1-byte type tag and the value (big-endian numbers; 2-byte length prefix for binary and string values).
 * Decoding only; the encoder the fake Bedrock upstream uses lives in @thinkwatch/testkit.
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
const fromUtf8 = new TextDecoder("utf-8", { fatal: true });

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
