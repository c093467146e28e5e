/**
 * Keeps an upstream's progress notifications ahead of the response that ends their request. The MCP SDK (v1) runs a
 * notification's handler one microtask after the message arrives but settles a response at once, deleting the
 * request's progress handler; when a transport delivers the last progress notification and the response in the same
 * tick (one stdio chunk, one SSE chunk), that notification finds no handler and is dropped. Handing responses over one
 * microtask later lets every notification that arrived before them be handled first.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

function isResponse(message: JSONRPCMessage): boolean {
  return "id" in message && !("method" in message);
}

/** Call after the SDK connected the transport (it installs `onmessage` in `connect`). */
export function deliverResponsesAfterNotifications(transport: Transport): void {
  const deliver = transport.onmessage;
  if (deliver === undefined) return;
  transport.onmessage = (message, extra) => {
    if (isResponse(message)) queueMicrotask(() => deliver(message, extra));
    else deliver(message, extra);
  };
}
