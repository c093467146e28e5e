import { describe, expect, it } from "vitest";
// Frames come from the AWS SDK's own codec; the fake upstream's Bedrock frame writer is tested in
// libs/testkit/test/aws/bedrock-stream-frame-encoder.test.ts (testkit depends on this package, not the other way round).
import { sdkEventStreamFrame } from "../../test/support/sdk-event-stream.js";
import { readBedrockStreamFrame } from "./bedrock-stream-frame.js";
import { decodeEventStreamMessage } from "./event-stream.js";

describe("readBedrockStreamFrame", () => {
  it.each([
    {
      name: "an event",
      frame: sdkEventStreamFrame(
        { ":event-type": "contentBlockDelta", ":content-type": "application/json", ":message-type": "event" },
        JSON.stringify({ contentBlockIndex: 0, delta: { text: "Hi" } }),
      ),
      expected: { kind: "event", eventType: "contentBlockDelta", payload: { contentBlockIndex: 0, delta: { text: "Hi" } } },
    },
    {
      name: "a modelled exception",
      frame: sdkEventStreamFrame(
        { ":exception-type": "throttlingException", ":content-type": "application/json", ":message-type": "exception" },
        JSON.stringify({ message: "Too many requests, please wait before trying again." }),
      ),
      expected: {
        kind: "exception",
        exceptionType: "throttlingException",
        message: "Too many requests, please wait before trying again.",
        payload: { message: "Too many requests, please wait before trying again." },
      },
    },
    {
      name: "an unmodelled error",
      frame: sdkEventStreamFrame({ ":message-type": "error", ":error-code": "InternalFailure", ":error-message": "boom" }),
      expected: { kind: "error", errorCode: "InternalFailure", message: "boom" },
    },
  ])("reads $name", ({ frame, expected }) => {
    expect(readBedrockStreamFrame(decodeEventStreamMessage(frame))).toEqual(expected);
  });

  it.each<{ name: string; headers: Record<string, string>; payload: string; error: RegExp }>([
    { name: "an event without :event-type", headers: { ":message-type": "event" }, payload: "{}", error: /without :event-type/ },
    {
      name: "an unknown message type",
      headers: { ":message-type": "weird" },
      payload: "{}",
      error: /unknown :message-type weird/,
    },
    {
      name: "a payload that is not JSON",
      headers: { ":message-type": "event", ":event-type": "x" },
      payload: "{",
      error: /not JSON/,
    },
  ])("rejects $name", ({ headers, payload, error }) => {
    expect(() => readBedrockStreamFrame(decodeEventStreamMessage(sdkEventStreamFrame(headers, payload)))).toThrow(error);
  });
});
