/**
 * The tool result a user gets from a per-user OAuth server they have not linked: a tool error (so the agent can tell
 * the user), not a transport failure, naming the console page where they link their account.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { UpstreamServer } from "../registry/registry-watch.js";
import { NotLinkedError } from "./user-oauth.js";

export const LINK_PAGE_PATH = "/mcp/servers";
/** The one tool an unlinked per-user server shows (under its prefix on `/mcp`), so the server is discoverable. */
export const LINK_ACCOUNT_TOOL = "link_account";

/**
 * What tools/list shows for a per-user OAuth server the caller has not linked: its tools cannot be listed without
 * the user's token, so one tool stands for the server and tells the agent (and the user) how to link; calling it,
 * or any tool of the server, answers with `linkRequiredResult`.
 */
export function linkAccountTool(server: UpstreamServer, name: string): Tool {
  return {
    name,
    title: `Link your account for ${server.name}`,
    description:
      `The MCP server "${server.name}" acts as you, and you have not linked your account for it yet. Open the ` +
      `ThinkWatch console at ${LINK_PAGE_PATH} and choose "Link my account" on "${server.name}"; its tools are listed ` +
      "here afterwards. Calling this tool returns these instructions.",
    inputSchema: { type: "object", properties: {} },
    annotations: { readOnlyHint: true, openWorldHint: false },
  };
}

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
