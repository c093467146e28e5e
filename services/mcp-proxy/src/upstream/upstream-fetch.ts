/**
 * The one HTTP client mcp-proxy uses towards upstream MCP servers: an undici pool whose connections go through the
 * egress policy on the resolved address (a name that resolves to a metadata or, when private upstreams are off, a
 * private address is refused at connect time, whatever the URL looked like when it was saved). The OAuth requests
 * made for upstream servers (discovery, token endpoints) pass the same policy, so an authorization server an
 * upstream names cannot reach what the upstream itself could not.
 */
import { createEgressConnector, createEgressFetch, type EgressPolicy } from "@thinkwatch/egress";
import { endSpan, injectTraceHeaders, SpanKind, startSpan, type TraceContext } from "@thinkwatch/tracing";
import { Agent, fetch as undiciFetch } from "undici";

function hostOf(input: string | URL | Request): string {
  try {
    return new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url).hostname;
  } catch {
    return "";
  }
}

/** The trace context of the tool call an upstream request is made for, asked when the request is made. */
export type UpstreamTrace = () => TraceContext | undefined;

export interface UpstreamFetch {
  /**
   * fetch() for the SDK's client transports: the server's configured headers on every request and, asked afresh each
   * time (so a refreshed token is used at once), its auth headers.
   */
  withHeaders(extra: Record<string, string>, auth?: () => Promise<Record<string, string>>, trace?: UpstreamTrace): typeof fetch;
  /** fetch() for OAuth discovery and token requests on an upstream's behalf: the egress policy, no server headers. */
  oauthFetch: typeof fetch;
  close(): Promise<void>;
  /** Told whether each connection to a server succeeded (its health on the Health page and mcp_upstream_health). */
  reportHealth?: (server: string, healthy: boolean, error: string | null) => void;
}

export function createUpstreamFetch(
  policy: () => EgressPolicy,
  connectTimeoutMs: number,
  reportHealth?: UpstreamFetch["reportHealth"],
): UpstreamFetch {
  const agent = new Agent({ connect: createEgressConnector({ policy, timeout: connectTimeoutMs }), keepAliveTimeout: 30_000 });
  const oauth = createEgressFetch({ policy, timeout: connectTimeoutMs });
  return {
    withHeaders(extra, auth, trace) {
      return (async (input: string | URL | Request, init?: RequestInit) => {
        const parent = trace?.();
        const headers = new Headers(init?.headers);
        for (const [name, value] of Object.entries(extra)) headers.set(name, value);
        if (auth !== undefined) for (const [name, value] of Object.entries(await auth())) headers.set(name, value);
        // Inside a traced tool call: a client span, its W3C context sent to the upstream server.
        const span = startSpan("mcp-proxy", `${init?.method ?? "GET"} mcp upstream`, {
          kind: SpanKind.CLIENT,
          requireParent: true,
          attributes: { "http.request.method": init?.method ?? "GET", "server.address": hostOf(input) },
          ...(parent === undefined ? {} : { parent }),
        });
        if (span === undefined) return undiciFetch(input as never, { ...(init as object), headers, dispatcher: agent } as never);
        injectTraceHeaders(span, headers);
        try {
          const response = await undiciFetch(input as never, { ...(init as object), headers, dispatcher: agent } as never);
          endSpan(span, response.status >= 500 ? new Error(`upstream HTTP ${response.status}`) : undefined, {
            "http.response.status_code": response.status,
          });
          return response;
        } catch (caught) {
          endSpan(span, caught);
          throw caught;
        }
      }) as typeof fetch;
    },
    oauthFetch: oauth.fetch,
    // Sessions are closed before this runs; what is left are long-lived upstream streams (the SSE transport's GET),
    // which a graceful close would wait on forever.
    close: async () => {
      await Promise.all([agent.destroy(), oauth.close()]);
    },
    ...(reportHealth === undefined ? {} : { reportHealth }),
  };
}
