/**
 * /api/mcp/servers, /api/mcp/tools and /api/mcp/tool-grants: upstream MCP servers, their connection test, the
 * aggregated catalog, and tool RBAC grants.
 */
import type {
  McpCatalogResult,
  McpServerInput,
  McpServerPatch,
  McpServerTestResult,
  McpServerView,
  McpToolGrantInput,
  McpToolGrantView,
} from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type {
  McpCatalogResult,
  McpServerInput,
  McpServerPatch,
  McpServerTestResult,
  McpServerView,
  McpToolInfo,
} from "@thinkwatch/console-api";

export async function listMcpServers(api: ApiClient): Promise<McpServerView[]> {
  return (await api.get<{ servers: McpServerView[] }>("/api/mcp/servers")).servers;
}

export async function createMcpServer(api: ApiClient, body: McpServerInput): Promise<McpServerView> {
  return (await api.post<{ server: McpServerView }>("/api/mcp/servers", body)).server;
}

export async function updateMcpServer(api: ApiClient, id: string, patch: McpServerPatch): Promise<McpServerView> {
  return (await api.patch<{ server: McpServerView }>(`/api/mcp/servers/${id}`, patch)).server;
}

export async function deleteMcpServer(api: ApiClient, id: string): Promise<void> {
  await api.delete(`/api/mcp/servers/${id}`);
}

export function testMcpServer(api: ApiClient, id: string): Promise<McpServerTestResult> {
  return api.post<McpServerTestResult>(`/api/mcp/servers/${id}/test`, {});
}

export async function listMcpTools(api: ApiClient): Promise<McpCatalogResult> {
  return api.get("/api/mcp/tools");
}

export type { McpToolGrantInput, McpToolGrantView } from "@thinkwatch/console-api";

export async function listToolGrants(api: ApiClient): Promise<McpToolGrantView[]> {
  return (await api.get<{ grants: McpToolGrantView[] }>("/api/mcp/tool-grants")).grants;
}

export async function createToolGrant(api: ApiClient, body: McpToolGrantInput): Promise<McpToolGrantView> {
  return (await api.post<{ grant: McpToolGrantView }>("/api/mcp/tool-grants", body)).grant;
}

export async function deleteToolGrant(api: ApiClient, id: string): Promise<void> {
  await api.delete(`/api/mcp/tool-grants/${id}`);
}
