/**
 * /api/mcp/tool-grants: tool RBAC. Admins grant MCP tool patterns (exposed names, `*` globs) to roles, teams and
 * users; each change republishes the compiled grants to the config KV bucket (mcp-proxy enforces them on
 * tools/list and tools/call) and is audited.
 */
import { McpToolGrantInputSchema } from "@thinkwatch/console-api";
import { validate } from "@thinkwatch/http";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import type { McpToolGrantStore } from "../mcp/mcp-tool-grant-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

const IdSchema = v.pipe(v.string(), v.uuid("grant id must be a UUID"));

export function registerMcpToolGrantRoutes(router: ConsoleRouter, deps: AdminDeps, grants: McpToolGrantStore): void {
  router.route("GET", "/api/mcp/tool-grants", "mcp_tools:read", async (c) => c.json({ grants: await grants.list() }));

  router.route("POST", "/api/mcp/tool-grants", "mcp_tools:write", { body: McpToolGrantInputSchema }, async (c) => {
    const input = await readRouteBody(c, McpToolGrantInputSchema);
    const grant = await grants.create(input);
    await grants.publish();
    deps.audit.record({
      category: "admin",
      action: "mcp_tool_grant.created",
      actor: requestActor(c),
      target: { kind: "mcp_tool_grant", id: grant.id, name: `${grant.pattern} → ${grant.subjectKind}:${grant.subjectId}` },
      before: null,
      after: grant,
      requestId: c.get("requestId"),
    });
    return c.json({ grant }, 201);
  });

  router.route("DELETE", "/api/mcp/tool-grants/:id", "mcp_tools:write", async (c) => {
    const id = validate(IdSchema, c.req.param("id"));
    const grant = await grants.remove(id);
    await grants.publish();
    deps.audit.record({
      category: "admin",
      action: "mcp_tool_grant.deleted",
      actor: requestActor(c),
      target: { kind: "mcp_tool_grant", id: grant.id, name: `${grant.pattern} → ${grant.subjectKind}:${grant.subjectId}` },
      before: grant,
      after: null,
      requestId: c.get("requestId"),
    });
    return c.json({ grant });
  });
}
