/**
 * An upstream MCP server that talks back to its client, written with the MCP SDK and served over Streamable HTTP
 * with sessions: tools that elicit, sample, list roots, report progress and wait to be cancelled (recording the
 * cancellation), one that answers late, and one that announces a changed tool list. Put behind the gateway, it shows where the gateway
 * sends server→client traffic and the client's answers.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server as HttpServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  ListRootsResultSchema,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

const NO_ARGS = { type: "object" as const, properties: {} };
const TAGGED = { type: "object" as const, properties: { tag: { type: "string" } }, required: ["tag"] };

const TOOLS = [
  { name: "ask_user", description: "Elicits a name from the user", inputSchema: NO_ARGS },
  { name: "ask_llm", description: "Samples the client's LLM", inputSchema: NO_ARGS },
  { name: "list_roots", description: "Lists the client's roots", inputSchema: NO_ARGS },
  { name: "wait_for_cancel", description: "Reports progress, then waits until cancelled (60 s)", inputSchema: TAGGED },
  { name: "announce", description: "Announces that the tool list changed", inputSchema: NO_ARGS },
  { name: "slow", description: "Reports progress, then answers 1.5 s later", inputSchema: NO_ARGS },
];

export interface InteractiveUpstream {
  url: string;
  /** Tags of the wait_for_cancel calls that were cancelled. */
  readonly cancelled: readonly string[];
  close(): Promise<void>;
}

function createInteractiveServer(cancelled: string[]): Server {
  const server = new Server(
    { name: "interactive-upstream", version: "1.0.0" },
    { capabilities: { tools: { listChanged: true } } },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] });
    switch (request.params.name) {
      case "ask_user": {
        const answer = await extra.sendRequest(
          {
            method: "elicitation/create",
            params: {
              message: "What is your name?",
              requestedSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
            },
          },
          ElicitResultSchema,
        );
        return text(`elicitation ${answer.action}: ${JSON.stringify(answer.content ?? {})}`);
      }
      case "ask_llm": {
        const answer = await extra.sendRequest(
          {
            method: "sampling/createMessage",
            params: { messages: [{ role: "user", content: { type: "text", text: "Say hi" } }], maxTokens: 20 },
          },
          CreateMessageResultSchema,
        );
        return text(`sampled: ${answer.content.type === "text" ? answer.content.text : answer.content.type}`);
      }
      case "list_roots": {
        const answer = await extra.sendRequest({ method: "roots/list" }, ListRootsResultSchema);
        return text(`roots: ${answer.roots.map((r) => r.uri).join(",")}`);
      }
      case "wait_for_cancel": {
        const tag = String(request.params.arguments?.tag ?? "");
        const token = request.params._meta?.progressToken;
        if (token !== undefined) {
          await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: 1 } });
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 60_000);
          extra.signal.addEventListener(
            "abort",
            () => {
              clearTimeout(timer);
              cancelled.push(tag);
              resolve();
            },
            { once: true },
          );
        });
        return text(extra.signal.aborted ? "cancelled" : "waited");
      }
      case "slow": {
        const token = request.params._meta?.progressToken;
        if (token !== undefined) {
          await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: 1 } });
        }
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return text("slow done");
      }
      case "announce":
        await extra.sendNotification({ method: "notifications/tools/list_changed" });
        return text("announced");
      default:
        return { isError: true, content: [{ type: "text", text: `unknown tool ${request.params.name}` }] };
    }
  });
  return server;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  return raw === "" ? undefined : JSON.parse(raw);
}

export async function startInteractiveUpstream(): Promise<InteractiveUpstream> {
  const cancelled: string[] = [];
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http: HttpServer = createServer((request, response) => {
    void (async () => {
      const id = request.headers["mcp-session-id"];
      let transport = typeof id === "string" ? sessions.get(id) : undefined;
      const body = request.method === "POST" ? await readBody(request) : undefined;
      if (transport === undefined) {
        if (request.method !== "POST" || (body as { method?: unknown } | undefined)?.method !== "initialize") {
          response
            .writeHead(404, { "content-type": "application/json" })
            .end('{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Session not found"}}');
          return;
        }
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
        });
        created.onclose = () => {
          if (created.sessionId !== undefined) sessions.delete(created.sessionId);
        };
        await createInteractiveServer(cancelled).connect(created);
        transport = created;
      }
      await transport.handleRequest(request, response, body);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    cancelled,
    async close() {
      for (const transport of sessions.values()) await transport.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
