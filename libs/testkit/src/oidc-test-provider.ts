/**
 * A real OpenID Connect identity provider for tests (the `oidc-provider` package) on a loopback port: discovery,
 * authorization code with PKCE, ID tokens signed with a fresh key, userinfo. Logins need no form: the test says
 * who logs in next and the interaction is completed for that identity (consent included).
 */
/// <reference path="./oidc-provider.d.ts" />
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";

export interface TestIdentity {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The identity the next login completes as. */
  loginAs(identity: TestIdentity): void;
  close(): Promise<void>;
}

export interface OidcTestProviderOptions {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
}

export async function startOidcTestProvider(options: OidcTestProviderOptions): Promise<OidcTestProvider> {
  const clientId = options.clientId ?? "thinkwatch-console";
  const clientSecret = options.clientSecret ?? "test-client-secret-5b7d1e9a";
  const accounts = new Map<string, TestIdentity>();
  let next: TestIdentity | null = null;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "test-key" };

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Loaded on first use only: every test importing the kit would otherwise load (and hear the warnings of) it.
  const { default: Provider } = await import("oidc-provider");
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ["test-only-cookie-key-0123456789"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx: unknown, id: string) => {
      const identity = accounts.get(id);
      return identity === undefined ? undefined : { accountId: id, claims: async () => ({ ...identity }) };
    },
  });
  const handle = provider.callback();
  server.on("request", (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const identity = next;
      if (identity === null) throw new Error("the test did not say who logs in (loginAs)");
      accounts.set(identity.sub, identity);
      const grant = new provider.Grant({ accountId: identity.sub, clientId: details.params.client_id ?? clientId });
      grant.addOIDCScope(details.params.scope ?? "openid");
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: identity.sub }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((caught: unknown) => {
      res.statusCode = 500;
      res.end(String(caught));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    loginAs(identity) {
      next = identity;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
