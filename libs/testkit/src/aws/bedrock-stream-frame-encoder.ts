/**
 * Bedrock's event-stream frames (ConverseStream, InvokeModelWithResponseStream) as the fake Bedrock upstream writes
 * them: `:message-type` event or exception, `:event-type` / `:exception-type` naming it, a JSON payload. Frames the
 * AWS SDK accepts; the gateway reads them with `readBedrockStreamFrame` from @thinkwatch/providers.
 */
import { encodeEventStreamMessage } from "./event-stream-encoder.js";

export function encodeBedrockStreamEvent(eventType: string, payload: unknown): Uint8Array {
  return encodeEventStreamMessage({
    headers: { ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" },
    payload: JSON.stringify(payload),
  });
}

export function encodeBedrockStreamException(exceptionType: string, message: string): Uint8Array {
  return encodeEventStreamMessage({
    headers: { ":exception-type": exceptionType, ":content-type": "application/json", ":message-type": "exception" },
    payload: JSON.stringify({ message }),
  });
}
