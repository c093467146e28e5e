/**
 * The tool result a user gets from a per-user OAuth server they have not linked: a tool error (so the agent can tell
 * the user), not a transport failure, naming the console page where they link their account.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { UpstreamServer } from "../registry/registry-watch.js";
import { NotLinkedError } from "./user-oauth.js";

export const LINK_PAGE_PATH = "/mcp/servers";

export function linkRequiredResult(server: UpstreamServer): CallToolResult {
  return {
    isError: true,
    content: [
      {
        type: "text",
        text:
          `You have not linked your account for the MCP server "${server.name}". Open the ThinkWatch console at ` +
          `${LINK_PAGE_PATH}, choose "Link my account" on "${server.name}", then call the tool again.`,
      },
    ],
  };
}

/** The error (or what the MCP SDK wrapped it in) says the user has not linked this server. */
export function notLinkedServer(caught: unknown): UpstreamServer | null {
  let current: unknown = caught;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof NotLinkedError) return current.server;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
