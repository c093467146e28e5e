/**
 * A fetch() whose connections go through the egress connector, for the requests ThinkWatch makes on its own behalf
 * towards addresses an admin or an upstream chose (OAuth discovery, client registration and token endpoints, OIDC
 * discovery): a refused address fails the request before anything is sent, as it does for upstream traffic.
 */
import { Agent, fetch as undiciFetch } from "undici";
import { createEgressConnector, EgressDeniedError, type LookupFunction } from "./egress-connector.js";
import type { EgressPolicy } from "./egress-policy.js";

export interface EgressFetchOptions {
  policy: () => EgressPolicy;
  /** Connect timeout in ms. */
  timeout?: number;
  lookup?: LookupFunction;
}

export interface EgressFetch {
  fetch: typeof fetch;
  close(): Promise<void>;
}

export function createEgressFetch(options: EgressFetchOptions): EgressFetch {
  const agent = new Agent({
    connect: createEgressConnector({
      policy: options.policy,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    }),
    // No kept-alive connections: these requests are few, and each must be judged under the policy of its moment
    // (a pooled connection opened while private upstreams were allowed would skip the check after they are not).
    pipelining: 0,
  });
  const egressFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    try {
      return await undiciFetch(input as never, { ...(init as object), dispatcher: agent } as never);
    } catch (caught) {
      throw egressRefusal(caught) ?? caught;
    }
  }) as typeof fetch;
  return { fetch: egressFetch, close: () => agent.close() };
}

/**
 * The egress refusal behind a failed fetch, if that is why it failed. fetch() reports every connection failure as
 * `TypeError: fetch failed` with the reason as its cause; OAuth clients read a TypeError as a CORS problem and try
 * something else, so callers rethrow the refusal itself, which names the address and the rule.
 */
export function egressRefusal(caught: unknown): EgressDeniedError | null {
  let current: unknown = caught;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth += 1) {
    if (current instanceof EgressDeniedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
