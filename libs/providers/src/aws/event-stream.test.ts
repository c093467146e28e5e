import { EventStreamCodec, Int64 } from "@smithy/core/event-streams";
import { describe, expect, it } from "vitest";
import { crc32 } from "./crc32.js";
import {
  createEventStreamDecoder,
  decodeEventStreamMessage,
  type EventStreamMessage,
  encodeEventStreamMessage,
} from "./event-stream.js";
import type { EventStreamHeaders } from "./event-stream-headers.js";

const utf8 = new TextEncoder();
const fromUtf8 = (b: Uint8Array) => new TextDecoder().decode(b);
// The AWS SDK's own codec, as the reference implementation of the framing.
const sdkCodec = new EventStreamCodec(fromUtf8, (s: string) => utf8.encode(s));

const EVERY_TYPE: EventStreamHeaders = {
  yes: { type: "boolean", value: true },
  no: { type: "boolean", value: false },
  byte: { type: "byte", value: -7 },
  short: { type: "short", value: -1234 },
  integer: { type: "integer", value: 123_456_789 },
  long: { type: "long", value: -9_007_199_254_740_991n },
  binary: { type: "binary", value: Uint8Array.of(0, 1, 2, 255) },
  string: { type: "string", value: "héllo ✓" },
  timestamp: { type: "timestamp", value: new Date("2024-05-06T07:08:09.010Z") },
  uuid: { type: "uuid", value: "0e5b7f4a-1c2d-4e3f-8a9b-0c1d2e3f4a5b" },
};

describe("encodeEventStreamMessage", () => {
  it("lays out prelude, string headers, payload and both checksums", () => {
    const frame = encodeEventStreamMessage({ headers: { ":event-type": "x" }, payload: "{}" });
    // header: 1 name-length byte + 11 name bytes + type 7 + 2 length bytes + 1 value byte = 16
    const view = new DataView(frame.buffer);
    expect(frame.length).toBe(12 + 16 + 2 + 4);
    expect(view.getUint32(0)).toBe(frame.length);
    expect(view.getUint32(4)).toBe(16);
    expect(view.getUint32(8)).toBe(crc32(frame.subarray(0, 8)));
    expect([...frame.subarray(12, 28)]).toEqual([11, ...utf8.encode(":event-type"), 7, 0, 1, "x".charCodeAt(0)]);
    expect(fromUtf8(frame.subarray(28, 30))).toBe("{}");
    expect(view.getUint32(frame.length - 4)).toBe(crc32(frame.subarray(0, frame.length - 4)));
  });

  it("produces frames the AWS SDK decodes, with every header type", () => {
    const payload = utf8.encode('{"a":1}');
    const decoded = sdkCodec.decode(encodeEventStreamMessage({ headers: EVERY_TYPE, payload }));
    expect(fromUtf8(decoded.body)).toBe('{"a":1}');
    expect(decoded.headers).toEqual({
      yes: { type: "boolean", value: true },
      no: { type: "boolean", value: false },
      byte: { type: "byte", value: -7 },
      short: { type: "short", value: -1234 },
      integer: { type: "integer", value: 123_456_789 },
      long: { type: "long", value: expect.any(Int64) },
      binary: { type: "binary", value: Uint8Array.of(0, 1, 2, 255) },
      string: { type: "string", value: "héllo ✓" },
      timestamp: { type: "timestamp", value: new Date("2024-05-06T07:08:09.010Z") },
      uuid: { type: "uuid", value: "0e5b7f4a-1c2d-4e3f-8a9b-0c1d2e3f4a5b" },
    });
    expect(Number((decoded.headers.long?.value as Int64 | undefined)?.valueOf())).toBe(-9_007_199_254_740_991);
  });
});

describe("decodeEventStreamMessage", () => {
  it("decodes frames the AWS SDK encodes, with every header type", () => {
    const frame = sdkCodec.encode({
      headers: { ...EVERY_TYPE, long: { type: "long", value: Int64.fromNumber(-9_007_199_254_740_991) } },
      body: utf8.encode("payload"),
    });
    const message = decodeEventStreamMessage(frame);
    expect(message.headers).toEqual(EVERY_TYPE);
    expect(fromUtf8(message.payload)).toBe("payload");
  });

  it.each([
    { name: "prelude checksum", byte: 9, error: /prelude checksum mismatch/ },
    { name: "header bytes", byte: 14, error: /message checksum mismatch/ },
    { name: "message checksum", byte: -1, error: /message checksum mismatch/ },
  ])("rejects a frame with a corrupted $name", ({ byte, error }) => {
    const frame = encodeEventStreamMessage({ headers: { ":event-type": "x" }, payload: "{}" });
    const index = byte < 0 ? frame.length + byte : byte;
    frame[index] = (frame[index] as number) ^ 0xff;
    expect(() => decodeEventStreamMessage(frame)).toThrow(error);
  });

  it("rejects an unknown header type", () => {
    const frame = encodeEventStreamMessage({ headers: { a: "b" }, payload: "" });
    frame[14] = 42; // the type tag of header "a"
    const view = new DataView(frame.buffer);
    view.setUint32(frame.length - 4, crc32(frame.subarray(0, frame.length - 4)));
    expect(() => decodeEventStreamMessage(frame)).toThrow(/unknown header value type 42/);
  });
});

describe("createEventStreamDecoder", () => {
  const messages: EventStreamMessage[] = [
    { headers: { ":event-type": { type: "string", value: "messageStart" } }, payload: utf8.encode('{"role":"assistant"}') },
    {
      headers: { ":event-type": { type: "string", value: "contentBlockDelta" } },
      payload: utf8.encode('{"delta":{"text":"Hel"}}'),
    },
    { headers: {}, payload: new Uint8Array(0) },
    {
      headers: { ":event-type": { type: "string", value: "metadata" }, n: { type: "integer", value: 3 } },
      payload: utf8.encode("x".repeat(300)),
    },
  ];
  const stream = concat(messages.map((m) => encodeEventStreamMessage(m)));

  it.each([1, 2, 3, 5, 7, 11, 16, 64, stream.length])("reassembles frames from chunks of %i bytes", (size) => {
    const decoder = createEventStreamDecoder();
    const out: EventStreamMessage[] = [];
    for (let i = 0; i < stream.length; i += size) out.push(...decoder.push(stream.subarray(i, i + size)));
    expect(out).toEqual(messages);
    expect(decoder.bufferedBytes).toBe(0);
    expect(() => decoder.finish()).not.toThrow();
  });

  it("returns several frames from one chunk and keeps the tail of a split one", () => {
    const decoder = createEventStreamDecoder();
    const cut = stream.length - 10;
    expect(decoder.push(stream.subarray(0, cut))).toEqual(messages.slice(0, 3));
    expect(decoder.bufferedBytes).toBe(cut - concat(messages.slice(0, 3).map((m) => encodeEventStreamMessage(m))).length);
    expect(decoder.push(stream.subarray(cut))).toEqual(messages.slice(3));
  });

  it("reports a stream that ends inside a frame", () => {
    const decoder = createEventStreamDecoder();
    decoder.push(stream.subarray(0, 20));
    expect(() => decoder.finish()).toThrow(/stream ended inside a frame \(20 bytes left over\)/);
  });

  it("fails fast on a corrupt prelude instead of waiting for its bogus length", () => {
    const decoder = createEventStreamDecoder();
    const garbage = utf8.encode('{"message":"not an event stream"}');
    expect(() => decoder.push(garbage)).toThrow(/prelude checksum mismatch/);
  });
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
