/** Query keys and hooks of the MCP area. Any change to a server refreshes the server list and the tool catalog. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import {
  createMcpServer,
  createToolGrant,
  deleteMcpServer,
  deleteToolGrant,
  listMcpServers,
  listMcpTools,
  listToolGrants,
  type McpServerInput,
  type McpServerPatch,
  type McpToolGrantInput,
  testMcpServer,
  updateMcpServer,
} from "./mcp-api";

export const mcpKeys = {
  all: ["mcp"] as const,
  servers: () => [...mcpKeys.all, "servers"] as const,
  tools: () => [...mcpKeys.all, "tools"] as const,
  grants: () => [...mcpKeys.all, "grants"] as const,
};

export function useMcpServers() {
  const api = useApi();
  return useQuery({ queryKey: mcpKeys.servers(), queryFn: () => listMcpServers(api) });
}

export function useMcpTools() {
  const api = useApi();
  return useQuery({ queryKey: mcpKeys.tools(), queryFn: () => listMcpTools(api) });
}

function useMcpMutation<A>(run: (args: A) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: run, onSuccess: () => queryClient.invalidateQueries({ queryKey: mcpKeys.all }) });
}

export function useCreateMcpServer() {
  const api = useApi();
  return useMcpMutation((body: McpServerInput) => createMcpServer(api, body));
}

export function useUpdateMcpServer() {
  const api = useApi();
  return useMcpMutation(({ id, patch }: { id: string; patch: McpServerPatch }) => updateMcpServer(api, id, patch));
}

export function useDeleteMcpServer() {
  const api = useApi();
  return useMcpMutation((id: string) => deleteMcpServer(api, id));
}

export function useTestMcpServer() {
  const api = useApi();
  return useMutation({ mutationFn: (id: string) => testMcpServer(api, id) });
}

export function useToolGrants() {
  const api = useApi();
  return useQuery({ queryKey: mcpKeys.grants(), queryFn: () => listToolGrants(api) });
}

export function useCreateToolGrant() {
  const api = useApi();
  return useMcpMutation((body: McpToolGrantInput) => createToolGrant(api, body));
}

export function useDeleteToolGrant() {
  const api = useApi();
  return useMcpMutation((id: string) => deleteToolGrant(api, id));
}
