/** mcp-proxy configuration: the bus (keys via key-service). Upstream MCP servers will come from the config KV. */
import { natsEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const McpProxyConfigSchema = v.object({ ...natsEntries });
export type McpProxyConfig = v.InferOutput<typeof McpProxyConfigSchema>;
