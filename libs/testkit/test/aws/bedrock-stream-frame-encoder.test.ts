import { EventStreamCodec } from "@smithy/core/event-streams";
import { decodeEventStreamMessage, readBedrockStreamFrame } from "@thinkwatch/providers";
import { describe, expect, it } from "vitest";
import { encodeBedrockStreamEvent, encodeBedrockStreamException } from "../../src/aws/bedrock-stream-frame-encoder.js";

const sdkCodec = new EventStreamCodec(
  (b: Uint8Array) => new TextDecoder().decode(b),
  (s: string) => new TextEncoder().encode(s),
);

describe("Bedrock stream frame writers", () => {
  it("write the headers Bedrock sends on an event frame", () => {
    const message = decodeEventStreamMessage(encodeBedrockStreamEvent("messageStop", { stopReason: "end_turn" }));
    expect(message.headers).toEqual({
      ":event-type": { type: "string", value: "messageStop" },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    });
  });

  it("write an exception frame the AWS SDK decodes", () => {
    const decoded = sdkCodec.decode(encodeBedrockStreamException("throttlingException", "Too many requests."));
    expect(decoded.headers).toEqual({
      ":exception-type": { type: "string", value: "throttlingException" },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "exception" },
    });
    expect(JSON.parse(new TextDecoder().decode(decoded.body))).toEqual({ message: "Too many requests." });
  });

  it.each([
    {
      name: "an event",
      frame: encodeBedrockStreamEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hi" } }),
      expected: { kind: "event", eventType: "contentBlockDelta", payload: { contentBlockIndex: 0, delta: { text: "Hi" } } },
    },
    {
      name: "a modelled exception",
      frame: encodeBedrockStreamException("throttlingException", "Too many requests, please wait before trying again."),
      expected: {
        kind: "exception",
        exceptionType: "throttlingException",
        message: "Too many requests, please wait before trying again.",
        payload: { message: "Too many requests, please wait before trying again." },
      },
    },
  ])("write $name the gateway reads back", ({ frame, expected }) => {
    expect(readBedrockStreamFrame(decodeEventStreamMessage(frame))).toEqual(expected);
  });
});
