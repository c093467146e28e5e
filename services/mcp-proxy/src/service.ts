/** mcp-proxy: the MCP endpoint on the gateway port. */
import { connectServiceBus, natsDependency, openConfigStore, watchSettings } from "@thinkwatch/bus";
import { createKeyVerifier } from "@thinkwatch/gateway-auth";
import { createHttpApp } from "@thinkwatch/http";
import { defineService } from "@thinkwatch/lifecycle";
import { McpProxyConfigSchema } from "./config.js";
import { rpcErrorFromAppError } from "./http/json-rpc.js";
import { registerMcpEndpoint } from "./http/mcp-endpoint.js";

export const mcpProxyService = defineService({
  name: "mcp-proxy",
  config: McpProxyConfigSchema,
  dependencies: (config) => [natsDependency(config.NATS_URL)],
  async start(config, { log, instanceId, resources }) {
    const bus = await connectServiceBus(resources, {
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: `thinkwatch-${instanceId}`,
      log,
    });
    const app = createHttpApp({ log, formatError: (error, c) => c.json(rpcErrorFromAppError(error), error.status as 400) });
    const settings = await watchSettings(await openConfigStore(bus, log), log);
    const keys = createKeyVerifier(bus, {
      cacheTtlMs: () => settings.current().performance.keyCacheTtlSeconds * 1000,
      log,
    });
    registerMcpEndpoint(app, keys);
    return {
      http: { listener: "gateway", paths: ["/mcp", "/mcp/*"], app },
      ready: async () => bus.isConnected(),
      async stop(deadlineMs) {
        settings.stop();
        await keys.stop();
        await bus.close(deadlineMs);
      },
    };
  },
});
