/** Test helper: what a canonical event stream says, independent of block numbering and fragmenting. */
import type { CanonicalStreamEvent } from "../../src/canonical/stream.js";
import type { CanonicalUsage } from "../../src/canonical/usage.js";

export function summarizeStream(events: CanonicalStreamEvent[]) {
  const text: string[] = [];
  const reasoning: string[] = [];
  const signature: string[] = [];
  const calls = new Map<number, { id: string; name: string; args: string[] }>();
  let finish: string | undefined;
  let usage: CanonicalUsage | undefined;
  const errors: string[] = [];
  for (const event of events) {
    switch (event.type) {
      case "text_delta":
        text.push(event.text);
        break;
      case "reasoning_delta":
        if (event.text) reasoning.push(event.text);
        if (event.signature) signature.push(event.signature);
        break;
      case "block_start":
        if (event.block.type === "tool_call") calls.set(event.index, { id: event.block.id, name: event.block.name, args: [] });
        break;
      case "tool_call_delta":
        calls.get(event.index)?.args.push(event.arguments);
        break;
      case "finish":
        finish = event.reason;
        break;
      case "usage":
        usage = event.usage;
        break;
      case "error":
        errors.push(event.error.message);
        break;
    }
  }
  return {
    text: text.join(""),
    reasoning: reasoning.join(""),
    signature: signature.join(""),
    calls: [...calls.values()].map((call) => ({ id: call.id, name: call.name, args: call.args.join("") })),
    finish,
    usage,
    errors,
    stopped: events.at(-1)?.type === "message_stop",
  };
}
