/**
 * Test helper: event-stream frames written by the AWS SDK's own codec (@smithy/core), the reference writer. This
 * package only reads frames, so its decoder tests read what AWS's code writes. (The writer the fake Bedrock upstream
 * uses is in @thinkwatch/testkit, which depends on this package; importing it here would make a cycle.)
 */
import { EventStreamCodec, Int64, type MessageHeaders } from "@smithy/core/event-streams";
import type { EventStreamHeaderValue } from "../../src/aws/event-stream-headers.js";

const utf8 = new TextEncoder();
export const sdkEventStreamCodec = new EventStreamCodec(
  (bytes: Uint8Array) => new TextDecoder().decode(bytes),
  (text: string) => utf8.encode(text),
);

/** One frame as the AWS SDK writes it; a plain string is a string header (what Bedrock sends). */
export function sdkEventStreamFrame(
  headers: Record<string, EventStreamHeaderValue | string>,
  payload: Uint8Array | string = "",
): Uint8Array {
  const sdkHeaders: MessageHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string") sdkHeaders[name] = { type: "string", value };
    // The SDK's long is its own Int64; every long these tests use is within Number's exact range.
    else if (value.type === "long") sdkHeaders[name] = { type: "long", value: Int64.fromNumber(Number(value.value)) };
    else sdkHeaders[name] = value;
  }
  return sdkEventStreamCodec.encode({ headers: sdkHeaders, body: typeof payload === "string" ? utf8.encode(payload) : payload });
}
