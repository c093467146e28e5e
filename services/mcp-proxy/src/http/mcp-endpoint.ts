/**
 * `/mcp` over Streamable HTTP. Today it is a complete MCP server with no upstream servers behind it: it
 * authenticates the virtual key for the MCP surface and answers initialize, ping and tools/list (empty). Aggregating
 * upstream servers, tool RBAC and auditing tool calls are the MCP gateway's own issue.
 */
import { toAppError } from "@thinkwatch/errors";
import { authenticateSurface, type KeyVerifier } from "@thinkwatch/gateway-auth";
import { type AppEnv, readJsonBody } from "@thinkwatch/http";
import type { Hono } from "hono";
import * as v from "valibot";
import { JSON_RPC, type JsonRpcMessage, JsonRpcMessageSchema, rpcError, rpcErrorFromAppError, rpcResult } from "./json-rpc.js";

const SUPPORTED_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function answer(message: JsonRpcMessage): object | null {
  if (message.method === undefined) return null; // A response from the client: nothing to answer.
  if (message.id === undefined) return null; // A notification (e.g. notifications/initialized).
  switch (message.method) {
    case "initialize": {
      const requested = (message.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      const version =
        typeof requested === "string" && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)
          ? requested
          : SUPPORTED_PROTOCOL_VERSIONS[0];
      return rpcResult(message.id, {
        protocolVersion: version,
        capabilities: { tools: { listChanged: false } },
        serverInfo: { name: "thinkwatch", version: "0.1.0" },
        instructions: "ThinkWatch MCP gateway. No upstream MCP servers are configured for this key yet.",
      });
    }
    case "ping":
      return rpcResult(message.id, {});
    case "tools/list":
      return rpcResult(message.id, { tools: [] });
    default:
      return rpcError(message.id, JSON_RPC.methodNotFound, `method not found: ${message.method}`);
  }
}

export function registerMcpEndpoint(app: Hono<AppEnv>, keys: KeyVerifier): void {
  app.post("/mcp", async (c) => {
    try {
      await authenticateSurface(keys, c.req.raw, "mcp_gateway");
    } catch (caught) {
      const error = toAppError(caught);
      return c.json(rpcErrorFromAppError(error), error.status as 401);
    }
    let json: unknown;
    try {
      json = (await readJsonBody(c, MAX_BODY_BYTES)).json;
    } catch (caught) {
      const error = toAppError(caught);
      const code = error.code === "bad_request" ? JSON_RPC.parseError : JSON_RPC.invalidRequest;
      return c.json(rpcError(null, code, error.message), error.status as 400);
    }
    const batch = Array.isArray(json);
    const messages = batch ? (json as unknown[]) : [json];
    const replies: object[] = [];
    for (const raw of messages) {
      const parsed = v.safeParse(JsonRpcMessageSchema, raw);
      if (!parsed.success) {
        replies.push(rpcError(null, JSON_RPC.invalidRequest, "not a JSON-RPC 2.0 message"));
        continue;
      }
      const reply = answer(parsed.output);
      if (reply !== null) replies.push(reply);
    }
    if (replies.length === 0) return c.body(null, 202);
    return c.json(batch ? replies : replies[0]);
  });

  // No server-initiated stream is offered, and there is no session to end: both are allowed answers in the spec.
  app.get("/mcp", (c) => c.json(rpcError(null, JSON_RPC.invalidRequest, "this endpoint does not offer an SSE stream"), 405));
  app.delete("/mcp", (c) => c.json(rpcError(null, JSON_RPC.invalidRequest, "this endpoint keeps no sessions"), 405));
}
