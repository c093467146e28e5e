import { EventStreamCodec, Int64 } from "@smithy/core/event-streams";
import {
  crc32,
  createEventStreamDecoder,
  decodeEventStreamMessage,
  type EventStreamHeaders,
  type EventStreamMessage,
} from "@thinkwatch/providers";
import { describe, expect, it } from "vitest";
import { type EventStreamMessageInput, encodeEventStreamMessage } from "../../src/aws/event-stream-encoder.js";

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

  it("round-trips through the gateway's decoder, one frame and a stream cut at every byte", () => {
    const message = decodeEventStreamMessage(encodeEventStreamMessage({ headers: EVERY_TYPE, payload: "payload" }));
    expect(message.headers).toEqual(EVERY_TYPE);
    expect(fromUtf8(message.payload)).toBe("payload");

    const messages: EventStreamMessage[] = [
      { headers: { ":event-type": { type: "string", value: "messageStart" } }, payload: utf8.encode('{"role":"assistant"}') },
      { headers: {}, payload: new Uint8Array(0) },
      { headers: { n: { type: "integer", value: 3 } }, payload: utf8.encode("x".repeat(300)) },
    ];
    const stream = new Uint8Array(Buffer.concat(messages.map((m) => encodeEventStreamMessage(m))));
    const decoder = createEventStreamDecoder();
    const out: EventStreamMessage[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...decoder.push(stream.subarray(i, i + 1)));
    expect(out).toEqual(messages);
    expect(() => decoder.finish()).not.toThrow();
  });

  it.each<{ name: string; headers: EventStreamMessageInput["headers"]; error: RegExp }>([
    { name: "an empty header name", headers: { "": "x" }, error: /header name must be 1-255 bytes/ },
    { name: "a header name over 255 bytes", headers: { ["h".repeat(256)]: "x" }, error: /header name must be 1-255 bytes/ },
    { name: "a string value over 32767 bytes", headers: { big: "x".repeat(32_768) }, error: /value exceeds 32767 bytes/ },
    { name: "a malformed UUID", headers: { id: { type: "uuid", value: "not-a-uuid" } }, error: /is not a UUID/ },
  ])("refuses $name", ({ headers, error }) => {
    expect(() => encodeEventStreamMessage({ headers, payload: "" })).toThrow(error);
  });
});
