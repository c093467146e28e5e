/** JSON-RPC 2.0 envelopes as MCP uses them, and the mapping from gateway errors to JSON-RPC error objects. */
import type { AppError } from "@thinkwatch/errors";
import * as v from "valibot";

export const JsonRpcMessageSchema = v.object({
  jsonrpc: v.literal("2.0"),
  id: v.optional(v.union([v.string(), v.number(), v.null()])),
  method: v.optional(v.string()),
  params: v.optional(v.unknown()),
});
export type JsonRpcMessage = v.InferOutput<typeof JsonRpcMessageSchema>;

export const JSON_RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** The generic server error the MCP SDKs answer transport-level refusals with (e.g. 405 Method not allowed). */
  serverError: -32000,
  /**
   * A tool call refused by quota (a rate limit, or the limiter unavailable under the fail-closed policy). JSON-RPC
   * leaves -32000…-32099 to implementations; -32005 is "limit exceeded" in the widely used EIP-1474 table.
   */
  rateLimited: -32005,
} as const;

export function rpcResult(id: JsonRpcMessage["id"], result: unknown) {
  return { jsonrpc: "2.0" as const, id: id ?? null, result };
}

export function rpcError(id: JsonRpcMessage["id"] | undefined, code: number, message: string, data?: unknown) {
  return { jsonrpc: "2.0" as const, id: id ?? null, error: data === undefined ? { code, message } : { code, message, data } };
}

/** A gateway failure (auth, limits) as a JSON-RPC error; the HTTP status still carries 401/403/429. */
export function rpcErrorFromAppError(error: AppError) {
  const code = error.status >= 500 ? JSON_RPC.internal : JSON_RPC.invalidRequest;
  return rpcError(null, code, error.message, { code: error.code });
}
