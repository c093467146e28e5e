/**
 * The public half of SSO: /api/auth/sso/status (for the login page's button), /authorize (starts an authorization
 * code flow with PKCE, state and nonce) and /callback (checks all three through openid-client, maps the claims to a
 * local user and starts a console session). Every refusal is a 4xx with the console error body and an audit record.
 */
import { SsoStatusSchema } from "@thinkwatch/console-api";
import { AppError, toAppError } from "@thinkwatch/errors";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as client from "openid-client";
import { startConsoleSession } from "../auth/console-session.js";
import type { AdminDeps } from "../deps.js";
import type { StoredSsoConfig } from "../sso/sso-config-store.js";
import { openFlow, SSO_FLOW_COOKIE, SSO_FLOW_TTL_SECONDS, sealFlow } from "../sso/sso-flow-cookie.js";
import { resolveSsoUser } from "../sso/sso-login.js";
import type { ConsoleEnv, ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";

const CALLBACK_PATH = "/api/auth/sso/callback";

export function registerSsoAuthRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  const activeConfig = async (): Promise<StoredSsoConfig & { clientSecret: string }> => {
    const config = await deps.sso.get();
    if (config === null || !config.enabled) throw new AppError("not_found", "single sign-on is not enabled");
    if (config.clientSecretEncrypted === null)
      throw new AppError("unavailable", "single sign-on has no client secret configured");
    return { ...config, clientSecret: deps.keyring.decrypt(config.clientSecretEncrypted) };
  };
  const cookieOptions = (c: Context) => ({
    path: CALLBACK_PATH,
    httpOnly: true,
    secure: new URL(c.req.url).protocol === "https:",
    sameSite: "Lax" as const,
  });

  router.route(
    "GET",
    "/api/auth/sso/status",
    "public",
    async (c) => {
      const config = await deps.sso.get();
      const enabled = config?.enabled === true;
      return c.json({ enabled, buttonLabel: enabled ? config.buttonLabel : null });
    },
    { summary: "Whether the login page shows the SSO button", response: SsoStatusSchema },
  );

  router.route(
    "GET",
    "/api/auth/sso/authorize",
    "public",
    async (c) => {
      const config = await activeConfig();
      const oidc = await deps.oidc.get(config);
      const flow = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
        redirectUri: config.redirectUri ?? `${new URL(c.req.url).origin}${CALLBACK_PATH}`,
        expiresAt: Date.now() + SSO_FLOW_TTL_SECONDS * 1000,
      };
      const target = client.buildAuthorizationUrl(oidc, {
        redirect_uri: flow.redirectUri,
        scope: config.scopes,
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: "S256",
      });
      setCookie(c, SSO_FLOW_COOKIE, sealFlow(deps.keyring, flow), { ...cookieOptions(c), maxAge: SSO_FLOW_TTL_SECONDS });
      return c.redirect(target.href, 302);
    },
    { summary: "Start an SSO login (redirects to the identity provider)", status: 302 },
  );

  router.route(
    "GET",
    CALLBACK_PATH,
    "public",
    async (c) => {
      const flow = openFlow(deps.keyring, getCookie(c, SSO_FLOW_COOKIE));
      // One flow, one callback: whatever happens next, the cookie is gone.
      deleteCookie(c, SSO_FLOW_COOKIE, cookieOptions(c));
      try {
        if (flow === null)
          throw new AppError("unauthenticated", "this SSO login expired or was not started in this browser; start again");
        const config = await activeConfig();
        const oidc = await deps.oidc.get(config);
        const current = new URL(flow.redirectUri);
        current.search = new URL(c.req.url).search;
        let claims: Record<string, unknown>;
        try {
          const tokens = await client.authorizationCodeGrant(
            oidc,
            current,
            { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true },
            { redirect_uri: flow.redirectUri },
          );
          const idClaims = tokens.claims();
          if (idClaims === undefined) throw new Error("no ID token");
          const userinfo = await client.fetchUserInfo(oidc, tokens.access_token, idClaims.sub);
          claims = { ...userinfo, ...idClaims };
        } catch (caught) {
          throw new AppError("unauthenticated", `SSO login refused: ${describeOidcFailure(caught)}`, { cause: caught });
        }
        const { auth } = deps.liveSettings.current();
        const result = await resolveSsoUser(
          deps,
          config,
          { defaultRole: auth.ssoDefaultRole, linkByVerifiedEmail: auth.ssoLinkByVerifiedEmail },
          claims,
        );
        const session = await startConsoleSession(c, deps, result.user);
        deps.audit.record({
          category: "auth",
          action: "login.succeeded",
          actor: { ...requestActor(c), kind: "user", id: result.user.id, name: result.user.email },
          details: { method: "sso", issuer: config.issuer, how: result.how },
          requestId: c.get("requestId"),
        });
        const fragment = new URLSearchParams({ access_token: session.accessToken, expires_in: String(session.expiresIn) });
        return c.redirect(`/login/sso#${fragment}`, 302);
      } catch (caught) {
        auditFailure(c, deps, toAppError(caught).message);
        throw caught;
      }
    },
    { summary: "Finish an SSO login (checks state, nonce and PKCE; redirects to the console with a session)", status: 302 },
  );
}

function auditFailure(c: Context<ConsoleEnv>, deps: AdminDeps, reason: string): void {
  deps.audit.record({
    category: "auth",
    action: "login.failed",
    actor: requestActor(c),
    outcome: "failure",
    details: { method: "sso", reason },
    requestId: c.get("requestId"),
  });
}

/** openid-client wraps the precise reason (which check failed, the IdP's error code) in `cause` or error fields. */
function describeOidcFailure(caught: unknown): string {
  const error = caught as { message?: string; error?: string; error_description?: string; cause?: { message?: string } };
  if (typeof error.error === "string") {
    return `the identity provider answered ${error.error}${error.error_description ? ` (${error.error_description})` : ""}`;
  }
  const inner = error.cause?.message;
  return inner && inner !== error.message ? `${error.message}: ${inner}` : (error.message ?? "unknown error");
}
