/**
 * /api/mcp/servers (register, list, update, soft delete, test) and /api/mcp/tools (the aggregated catalog). Every
 * change republishes the registry to the config KV bucket and is audited; testing and listing tools are answered by
 * mcp-proxy over NATS, the only service that speaks MCP upstream.
 */
import {
  McpCatalogResultSchema,
  McpServerInputSchema,
  McpServerPatchSchema,
  McpServerTestResultSchema,
} from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import { McpCatalog, McpServerTest } from "@thinkwatch/proto";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import type { McpServerStore } from "../mcp/mcp-server-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

const IdSchema = v.pipe(v.string(), v.uuid("server id must be a UUID"));
/** A test connects to a server, so it may take as long as a slow upstream's initialize. */
const TEST_TIMEOUT_MS = 30_000;

export function registerMcpServerRoutes(router: ConsoleRouter, deps: AdminDeps, servers: McpServerStore): void {
  const audit = (
    c: Parameters<typeof requestActor>[0],
    action: string,
    id: string,
    name: string,
    before: unknown,
    after: unknown,
  ) =>
    deps.audit.record({
      category: "admin",
      action,
      actor: requestActor(c),
      target: { kind: "mcp_server", id, name },
      before,
      after,
      requestId: c.get("requestId"),
    });

  router.route("GET", "/api/mcp/servers", "mcp_servers:read", async (c) => c.json({ servers: await servers.list() }));

  router.route("POST", "/api/mcp/servers", "mcp_servers:write", { body: McpServerInputSchema }, async (c) => {
    const input = await readRouteBody(c, McpServerInputSchema);
    const server = await servers.create(input);
    await servers.publish();
    audit(c, "mcp_server.created", server.id, server.name, null, server);
    return c.json({ server }, 201);
  });

  router.route("GET", "/api/mcp/servers/:id", "mcp_servers:read", async (c) => {
    const id = validate(IdSchema, c.req.param("id"));
    const server = await servers.find(id);
    if (server === null) throw new AppError("not_found", `no MCP server with id ${id}`);
    return c.json({ server });
  });

  router.route("PATCH", "/api/mcp/servers/:id", "mcp_servers:write", { body: McpServerPatchSchema }, async (c) => {
    const id = validate(IdSchema, c.req.param("id"));
    const patch = await readRouteBody(c, McpServerPatchSchema);
    const { before, after } = await servers.update(id, patch);
    await servers.publish();
    audit(c, "mcp_server.updated", id, after.name, before, after);
    return c.json({ server: after });
  });

  router.route("DELETE", "/api/mcp/servers/:id", "mcp_servers:write", async (c) => {
    const id = validate(IdSchema, c.req.param("id"));
    const deleted = await servers.softDelete(id);
    await servers.publish();
    audit(c, "mcp_server.deleted", id, deleted.name, deleted, null);
    return c.json({ server: deleted });
  });

  router.route(
    "POST",
    "/api/mcp/servers/:id/test",
    "mcp_servers:write",
    async (c) => {
      const id = validate(IdSchema, c.req.param("id"));
      const entry = await servers.entryOf(id);
      if (entry === null) throw new AppError("not_found", `no MCP server with id ${id}`);
      return c.json(
        await deps.bus.request(
          McpServerTest,
          { server: entry, userId: c.get("user").id },
          { trace: c.get("trace"), timeoutMs: TEST_TIMEOUT_MS },
        ),
      );
    },
    { summary: "Connect to a saved server and list what it offers", response: McpServerTestResultSchema },
  );

  /** Test settings before saving them. */
  router.route(
    "POST",
    "/api/mcp/servers/test",
    "mcp_servers:write",
    async (c) => {
      const input = await readRouteBody(c, McpServerInputSchema);
      return c.json(
        await deps.bus.request(
          McpServerTest,
          { server: servers.entryFromInput(input), userId: c.get("user").id },
          { trace: c.get("trace"), timeoutMs: TEST_TIMEOUT_MS },
        ),
      );
    },
    {
      summary: "Connect with settings that are not saved yet and list what the server offers",
      body: McpServerInputSchema,
      response: McpServerTestResultSchema,
    },
  );

  router.route(
    "GET",
    "/api/mcp/tools",
    "mcp_tools:read",
    async (c) =>
      c.json(
        await deps.bus.request(McpCatalog, { userId: c.get("user").id }, { trace: c.get("trace"), timeoutMs: TEST_TIMEOUT_MS }),
      ),
    { summary: "Every enabled server's tools under their exposed names", response: McpCatalogResultSchema },
  );
}
