import { describe, expect, it } from "vitest";
import { encodeBedrockStreamEvent, encodeBedrockStreamException, readBedrockStreamFrame } from "./bedrock-stream-frame.js";
import { decodeEventStreamMessage, encodeEventStreamMessage } from "./event-stream.js";

describe("readBedrockStreamFrame", () => {
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
    {
      name: "an unmodelled error",
      frame: encodeEventStreamMessage({
        headers: { ":message-type": "error", ":error-code": "InternalFailure", ":error-message": "boom" },
        payload: "",
      }),
      expected: { kind: "error", errorCode: "InternalFailure", message: "boom" },
    },
  ])("reads $name", ({ frame, expected }) => {
    expect(readBedrockStreamFrame(decodeEventStreamMessage(frame))).toEqual(expected);
  });

  it("writes the headers Bedrock sends on an event frame", () => {
    const message = decodeEventStreamMessage(encodeBedrockStreamEvent("messageStop", { stopReason: "end_turn" }));
    expect(message.headers).toEqual({
      ":event-type": { type: "string", value: "messageStop" },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    });
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
    expect(() => readBedrockStreamFrame(decodeEventStreamMessage(encodeEventStreamMessage({ headers, payload })))).toThrow(error);
  });
});
