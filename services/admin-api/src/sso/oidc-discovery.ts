/**
 * The identity provider as openid-client sees it: discovery of its metadata, cached per configuration so a login
 * does not fetch the discovery document each time. Plain http is accepted only for an issuer on loopback (a
 * development or test IdP); any other issuer must be https. Every request to the IdP (discovery, token, userinfo,
 * keys) goes through an egress-checked fetch with the rule the issuer URL is saved under (private addresses allowed,
 * metadata and link-local never), applied to the address each name resolves to and to every endpoint the discovery
 * document names.
 */
import { checkUpstreamUrl, type EgressPolicy, egressRefusal } from "@thinkwatch/egress";
import { AppError } from "@thinkwatch/errors";
import * as client from "openid-client";

export interface OidcTarget {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** Identity providers commonly live on the private network; cloud metadata and link-local addresses never. */
export const IDP_EGRESS_POLICY: EgressPolicy = { allowPrivate: true };

/** Problems with an issuer URL before anything is fetched from it. */
export function issuerProblem(issuer: string): string | null {
  const verdict = checkUpstreamUrl(issuer, IDP_EGRESS_POLICY);
  if (!verdict.allowed) return `issuer ${verdict.reason}`;
  const url = new URL(issuer);
  if (url.protocol === "http:" && !isLoopback(url.hostname)) return "issuer must be an https URL";
  return null;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** `idpFetch` is the egress-checked fetch every request to the identity provider uses. */
export async function discover(target: OidcTarget, idpFetch: typeof fetch, timeoutMs = 5000): Promise<client.Configuration> {
  const problem = issuerProblem(target.issuer);
  if (problem !== null) throw new AppError("validation_failed", problem, { details: { fields: { issuer: problem } } });
  const url = new URL(target.issuer);
  try {
    return await client.discovery(url, target.clientId, undefined, client.ClientSecretBasic(target.clientSecret), {
      timeout: timeoutMs / 1000,
      [client.customFetch]: idpFetch as client.CustomFetch,
      ...(url.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : {}),
    });
  } catch (caught) {
    // openid-client wraps a failed request as "something went wrong"; an egress refusal is worth naming.
    const reason = (egressRefusal(caught) ?? (caught as Error)).message;
    throw new AppError("upstream_error", `OIDC discovery at ${target.issuer} failed: ${reason}`, {
      cause: caught,
    });
  }
}

export interface OidcDiscoveryCache {
  get(target: OidcTarget): Promise<client.Configuration>;
  /** Discovery without the cache, for a configuration that is not saved yet. */
  discover(target: OidcTarget): Promise<client.Configuration>;
}

export function createOidcDiscoveryCache(idpFetch: typeof fetch, ttlMs = 10 * 60_000): OidcDiscoveryCache {
  let cached: { key: string; at: number; config: Promise<client.Configuration> } | null = null;
  return {
    get(target) {
      const key = JSON.stringify([target.issuer, target.clientId, target.clientSecret]);
      if (cached === null || cached.key !== key || Date.now() - cached.at > ttlMs) {
        const config = discover(target, idpFetch);
        cached = { key, at: Date.now(), config };
        // A failed discovery is not cached: the next login tries again.
        config.catch(() => {
          if (cached?.config === config) cached = null;
        });
      }
      return cached.config;
    },
    discover: (target) => discover(target, idpFetch),
  };
}
