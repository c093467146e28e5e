/**
 * Linking the caller's own account at a per-user OAuth MCP server: start (returns the authorization URL), status,
 * unlink, and the public OAuth callback the authorization server redirects the browser to. The callback trusts
 * only the sealed, single-use state (it names the user who started the flow) and ends on the console's MCP servers
 * page. Link and unlink are audited; tokens never appear in a response, an audit event or a log line.
 */
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import type { McpOAuthLinker } from "../mcp/mcp-oauth-linker.js";
import type { McpServerStore } from "../mcp/mcp-server-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteQuery } from "./route-input.js";

export const MCP_OAUTH_CALLBACK_PATH = "/api/mcp/oauth/callback";
/** Ties the callback to the browser that started the link (the console's API itself uses bearer tokens). */
const BINDING_COOKIE = "tw_mcp_link";

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}
const IdSchema = v.pipe(v.string(), v.uuid("server id must be a UUID"));
const CallbackSchema = v.object({
  code: v.pipe(v.string("code is required"), v.minLength(1, "code is required"), v.maxLength(4000)),
  state: v.pipe(v.string("state is required"), v.minLength(1, "state is required"), v.maxLength(8000)),
});

export function registerMcpOAuthLinkRoutes(
  router: ConsoleRouter,
  deps: AdminDeps,
  servers: McpServerStore,
  linker: McpOAuthLinker,
  publicUrl: string,
): void {
  const serverOf = async (id: string) => {
    const entry = await servers.entryOf(id);
    if (entry === null || !entry.enabled) throw new AppError("not_found", `no enabled MCP server with id ${id}`);
    return entry;
  };
  const callbackUrl = (requestUrl: string) => new URL(MCP_OAUTH_CALLBACK_PATH, publicUrl === "" ? requestUrl : publicUrl).href;

  router.route("POST", "/api/mcp/servers/:id/link", "mcp_tools:read", async (c) => {
    const server = await serverOf(validate(IdSchema, c.req.param("id")));
    const callback = callbackUrl(c.req.url);
    const { authorizationUrl, browserBinding } = await linker.start(server, c.get("user").id, callback);
    const secure = callback.startsWith("https:") ? "; Secure" : "";
    c.header(
      "set-cookie",
      `${BINDING_COOKIE}=${browserBinding}; Path=${MCP_OAUTH_CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=600${secure}`,
    );
    return c.json({ authorizationUrl });
  });

  router.route("GET", "/api/mcp/servers/:id/link", "mcp_tools:read", async (c) => {
    const id = validate(IdSchema, c.req.param("id"));
    return c.json(await linker.status(id, c.get("user").id));
  });

  router.route("DELETE", "/api/mcp/servers/:id/link", "mcp_tools:read", async (c) => {
    const id = validate(IdSchema, c.req.param("id"));
    const removed = await linker.unlink(id, c.get("user").id);
    if (!removed) throw new AppError("not_found", "your account is not linked to this MCP server");
    deps.audit.record({
      category: "admin",
      action: "mcp_server.unlinked",
      actor: requestActor(c),
      target: { kind: "mcp_server", id, name: id },
      requestId: c.get("requestId"),
    });
    return c.json({ linked: false });
  });

  router.route("GET", MCP_OAUTH_CALLBACK_PATH, "public", { query: CallbackSchema }, async (c) => {
    const error = c.req.query("error");
    if (error !== undefined) {
      throw new AppError("bad_request", `the authorization server did not grant access: ${error.slice(0, 100)}`);
    }
    const { code, state } = readRouteQuery(c, CallbackSchema, { code: c.req.query("code"), state: c.req.query("state") });
    const { serverId, userId } = await linker.complete(code, state, cookieValue(c.req.header("cookie"), BINDING_COOKIE), (id) =>
      servers.entryOf(id),
    );
    deps.audit.record({
      category: "admin",
      action: "mcp_server.linked",
      actor: { ...requestActor(c), kind: "user", id: userId },
      target: { kind: "mcp_server", id: serverId, name: serverId },
      requestId: c.get("requestId"),
    });
    return c.redirect(`/mcp/servers?linked=${encodeURIComponent(serverId)}`, 302);
  });
}
