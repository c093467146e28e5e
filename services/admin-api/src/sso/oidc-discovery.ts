/**
 * The identity provider as openid-client sees it: discovery of its metadata, cached per configuration so a login
 * does not fetch the discovery document each time. Plain http is accepted only for an issuer on loopback (a
 * development or test IdP); any other issuer must be https.
 */
import { checkUpstreamUrl } from "@thinkwatch/egress";
import { AppError } from "@thinkwatch/errors";
import * as client from "openid-client";

export interface OidcTarget {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** Problems with an issuer URL before anything is fetched from it. */
export function issuerProblem(issuer: string): string | null {
  const verdict = checkUpstreamUrl(issuer, { allowPrivate: true });
  if (!verdict.allowed) return `issuer ${verdict.reason}`;
  const url = new URL(issuer);
  if (url.protocol === "http:" && !isLoopback(url.hostname)) return "issuer must be an https URL";
  return null;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export async function discover(target: OidcTarget, timeoutMs = 5000): Promise<client.Configuration> {
  const problem = issuerProblem(target.issuer);
  if (problem !== null) throw new AppError("validation_failed", problem, { details: { fields: { issuer: problem } } });
  const url = new URL(target.issuer);
  try {
    return await client.discovery(url, target.clientId, undefined, client.ClientSecretBasic(target.clientSecret), {
      timeout: timeoutMs / 1000,
      ...(url.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : {}),
    });
  } catch (caught) {
    throw new AppError("upstream_error", `OIDC discovery at ${target.issuer} failed: ${(caught as Error).message}`, {
      cause: caught,
    });
  }
}

export interface OidcDiscoveryCache {
  get(target: OidcTarget): Promise<client.Configuration>;
}

export function createOidcDiscoveryCache(ttlMs = 10 * 60_000): OidcDiscoveryCache {
  let cached: { key: string; at: number; config: Promise<client.Configuration> } | null = null;
  return {
    get(target) {
      const key = JSON.stringify([target.issuer, target.clientId, target.clientSecret]);
      if (cached === null || cached.key !== key || Date.now() - cached.at > ttlMs) {
        const config = discover(target);
        cached = { key, at: Date.now(), config };
        // A failed discovery is not cached: the next login tries again.
        config.catch(() => {
          if (cached?.config === config) cached = null;
        });
      }
      return cached.config;
    },
  };
}
