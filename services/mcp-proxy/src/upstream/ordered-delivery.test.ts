import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, Progress } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { deliverResponsesAfterNotifications } from "./ordered-delivery.js";

/** An upstream that answers a tools/call with its progress notifications and the result in one tick, as one stdio chunk does. */
class SameTickUpstream implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  async start() {}
  async close() {}
  async send(message: JSONRPCMessage) {
    if (!("method" in message) || !("id" in message)) return;
    if (message.method === "initialize") {
      const result = { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "u", version: "1" } };
      queueMicrotask(() => this.onmessage?.({ jsonrpc: "2.0", id: message.id, result }));
      return;
    }
    const token = (message.params as { _meta?: { progressToken?: number } })._meta?.progressToken;
    setTimeout(() => {
      for (const progress of [1, 2, 3]) {
        this.onmessage?.({
          jsonrpc: "2.0",
          method: "notifications/progress",
          params: { progressToken: token ?? 0, progress, total: 3 },
        });
      }
      this.onmessage?.({ jsonrpc: "2.0", id: message.id, result: { content: [] } });
    }, 1);
  }
}

async function callWithProgress(ordered: boolean): Promise<number[]> {
  const transport = new SameTickUpstream();
  const client = new Client({ name: "t", version: "1" });
  client.onerror = () => undefined;
  await client.connect(transport);
  if (ordered) deliverResponsesAfterNotifications(transport);
  const seen: Progress[] = [];
  await client.callTool({ name: "slow" }, undefined, { onprogress: (p) => seen.push(p) });
  await client.close();
  return seen.map((p) => p.progress);
}

describe("deliverResponsesAfterNotifications", () => {
  it("without it the SDK drops the notification that arrives in the same tick as the response", async () => {
    expect((await callWithProgress(false)).length).toBeLessThan(3);
  });

  it("with it every progress notification reaches the caller before the result", async () => {
    expect(await callWithProgress(true)).toEqual([1, 2, 3]);
  });
});
