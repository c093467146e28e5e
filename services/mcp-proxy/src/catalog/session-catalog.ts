/**
 * The merged view a gateway session offers: every permitted upstream's tools, prompts, resources and resource
 * templates under exposed names, in a deterministic order (servers by prefix, items by exposed name), and the
 * reverse lookups calls need. One upstream failing to list leaves the others listed (and is logged). Schemas,
 * annotations, icons and `_meta` pass through unchanged; only names and URIs change.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Prompt, Resource, ResourceTemplate, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "@thinkwatch/log";
import type { UpstreamServer } from "../registry/registry-watch.js";
import { LINK_ACCOUNT_TOOL, linkAccountTool, notLinkedServer } from "../upstream/link-required.js";
import { exposedName, exposedUri } from "./names.js";

export interface CatalogScope {
  /** Servers this session sees, in order. */
  servers(): readonly UpstreamServer[];
  /** True on the aggregated endpoint (names are prefixed); false on `/mcp/{server}` (original names). */
  readonly namespaced: boolean;
}

export interface Upstreams {
  withClient<T>(server: UpstreamServer, call: (client: Client) => Promise<T>): Promise<T>;
}

export interface Located<T> {
  server: UpstreamServer;
  item: T;
  /** The name or URI the upstream knows. */
  original: string;
}

async function listAll<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>) {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const result = await fetchPage(cursor);
    all.push(...result.items);
    if (result.nextCursor === undefined || result.nextCursor === "") break;
    cursor = result.nextCursor;
  }
  return all;
}

function supports(client: Client, kind: "tools" | "prompts" | "resources"): boolean {
  return client.getServerCapabilities()?.[kind] !== undefined;
}

export class SessionCatalog {
  constructor(
    private readonly scope: CatalogScope,
    private readonly upstreams: Upstreams,
    private readonly log: Logger,
  ) {}

  private name(server: UpstreamServer, original: string): string {
    return this.scope.namespaced ? exposedName(server.prefix, original) : original;
  }

  private uri(server: UpstreamServer, original: string): string {
    return this.scope.namespaced ? exposedUri(server.prefix, original) : original;
  }

  private async gather<T>(
    what: string,
    each: (server: UpstreamServer, client: Client) => Promise<T[]>,
    unlinked: (server: UpstreamServer) => T[] = () => [],
  ): Promise<T[]> {
    const results = await Promise.all(
      this.scope.servers().map(async (server) => {
        try {
          return await this.upstreams.withClient(server, (client) => each(server, client));
        } catch (caught) {
          if (notLinkedServer(caught) !== null) return unlinked(server);
          this.log.warn({ err: caught, server: server.name }, `cannot list ${what} of an MCP server; left out`);
          return [];
        }
      }),
    );
    return results.flat();
  }

  async tools(): Promise<Array<Located<Tool>>> {
    const found = await this.gather(
      "tools",
      async (server, client) =>
        !supports(client, "tools")
          ? []
          : (
              await listAll(async (cursor) => {
                const page = await client.listTools(cursor === undefined ? {} : { cursor });
                return { items: page.tools, nextCursor: page.nextCursor };
              })
            ).map((tool) => ({ server, original: tool.name, item: { ...tool, name: this.name(server, tool.name) } })),
      (server) => [
        {
          server,
          original: LINK_ACCOUNT_TOOL,
          item: linkAccountTool(server, this.name(server, LINK_ACCOUNT_TOOL)),
        },
      ],
    );
    return found.sort((a, b) => a.item.name.localeCompare(b.item.name));
  }

  async prompts(): Promise<Array<Located<Prompt>>> {
    const found = await this.gather("prompts", async (server, client) =>
      !supports(client, "prompts")
        ? []
        : (
            await listAll(async (cursor) => {
              const page = await client.listPrompts(cursor === undefined ? {} : { cursor });
              return { items: page.prompts, nextCursor: page.nextCursor };
            })
          ).map((prompt) => ({ server, original: prompt.name, item: { ...prompt, name: this.name(server, prompt.name) } })),
    );
    return found.sort((a, b) => a.item.name.localeCompare(b.item.name));
  }

  async resources(): Promise<Array<Located<Resource>>> {
    return this.gather("resources", async (server, client) =>
      !supports(client, "resources")
        ? []
        : (
            await listAll(async (cursor) => {
              const page = await client.listResources(cursor === undefined ? {} : { cursor });
              return { items: page.resources, nextCursor: page.nextCursor };
            })
          ).map((resource) => ({ server, original: resource.uri, item: { ...resource, uri: this.uri(server, resource.uri) } })),
    );
  }

  async resourceTemplates(): Promise<Array<Located<ResourceTemplate>>> {
    return this.gather("resource templates", async (server, client) =>
      !supports(client, "resources")
        ? []
        : (
            await listAll(async (cursor) => {
              const page = await client.listResourceTemplates(cursor === undefined ? {} : { cursor });
              return { items: page.resourceTemplates, nextCursor: page.nextCursor };
            })
          ).map((template) => ({
            server,
            original: template.uriTemplate,
            item: { ...template, uriTemplate: this.uri(server, template.uriTemplate) },
          })),
    );
  }
}

/** A page of a merged list: the cursor is the offset, opaque to clients. */
export function paginate<T>(items: T[], cursor: string | undefined, pageSize: number): { page: T[]; nextCursor?: string } {
  let offset = 0;
  if (cursor !== undefined) {
    const decoded = Number(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) throw new Error("invalid cursor");
    offset = decoded;
  }
  const page = items.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return next < items.length ? { page, nextCursor: Buffer.from(String(next)).toString("base64url") } : { page };
}
