import { describe, expect, it } from "vitest";
// Frames come from the AWS SDK's own codec, the reference writer; the writer the fake Bedrock upstream uses is tested
// in libs/testkit/test/aws/event-stream-encoder.test.ts (testkit depends on this package, not the other way round).
import { sdkEventStreamFrame } from "../../test/support/sdk-event-stream.js";
import { crc32 } from "./crc32.js";
import { createEventStreamDecoder, decodeEventStreamMessage, type EventStreamMessage } from "./event-stream.js";
import type { EventStreamHeaders } from "./event-stream-headers.js";

const utf8 = new TextEncoder();
const fromUtf8 = (b: Uint8Array) => new TextDecoder().decode(b);

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

describe("decodeEventStreamMessage", () => {
  it("decodes frames the AWS SDK encodes, with every header type", () => {
    const frame = sdkEventStreamFrame(EVERY_TYPE, "payload");
    const message = decodeEventStreamMessage(frame);
    expect(message.headers).toEqual(EVERY_TYPE);
    expect(fromUtf8(message.payload)).toBe("payload");
  });

  it.each([
    { name: "prelude checksum", byte: 9, error: /prelude checksum mismatch/ },
    { name: "header bytes", byte: 14, error: /message checksum mismatch/ },
    { name: "message checksum", byte: -1, error: /message checksum mismatch/ },
  ])("rejects a frame with a corrupted $name", ({ byte, error }) => {
    const frame = sdkEventStreamFrame({ ":event-type": "x" }, "{}");
    const index = byte < 0 ? frame.length + byte : byte;
    frame[index] = (frame[index] as number) ^ 0xff;
    expect(() => decodeEventStreamMessage(frame)).toThrow(error);
  });

  it("rejects an unknown header type", () => {
    const frame = sdkEventStreamFrame({ a: "b" });
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
  const stream = concat(messages.map((m) => sdkEventStreamFrame(m.headers, m.payload)));

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
    expect(decoder.bufferedBytes).toBe(
      cut - concat(messages.slice(0, 3).map((m) => sdkEventStreamFrame(m.headers, m.payload))).length,
    );
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
