/**
 * SSO end to end against a real OpenID Connect provider (oidc-provider): configuration with discovery before
 * activation, a full login with JIT provisioning and group → role mapping, linking to a local account only by
 * verified email when allowed, and the attacks: tampered state, replayed code, wrong nonce, a callback without the
 * browser's flow cookie.
 */
import { type Fleet, startFleet } from "@thinkwatch/lifecycle";
import {
  type ConsoleClient,
  createConsoleClient,
  createCookieBrowser,
  createTestEnvironment,
  DEFAULT_ADMIN,
  freePort,
  type OidcTestProvider,
  startOidcTestProvider,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApiService } from "../src/service.js";

let testEnv: TestEnvironment;
let fleet: Fleet;
let idp: OidcTestProvider;
let api: ConsoleClient;
let consoleUrl: string;
let callbackUrl: string;
const requestId = expect.any(String);

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  const port = await freePort();
  consoleUrl = `http://127.0.0.1:${port}`;
  callbackUrl = `${consoleUrl}/api/auth/sso/callback`;
  idp = await startOidcTestProvider({ redirectUris: [callbackUrl] });
  fleet = await startFleet({ services: [adminApiService], env: { ...testEnv.env, CONSOLE_PORT: String(port) } });
  api = createConsoleClient(consoleUrl);
  await api.initialize();
});

afterAll(async () => {
  await fleet?.stop("test done");
  await idp?.close();
  await testEnv?.cleanup();
});

const ssoConfig = (extra: Record<string, unknown> = {}) => ({
  enabled: true,
  issuer: idp.issuer,
  clientId: idp.clientId,
  clientSecret: idp.clientSecret,
  groupsClaim: "groups",
  groupRoles: { "tw-admins": "admin" },
  scopes: "openid email profile groups",
  ...extra,
});

/** Run a login in a fresh browser up to the console's callback; returns the callback URL and the browser. */
async function loginUntilCallback(identity: Parameters<OidcTestProvider["loginAs"]>[0], tamperAuthorizeUrl?: (url: URL) => void) {
  idp.loginAs(identity);
  const browser = createCookieBrowser();
  let step = await browser.navigate(`${consoleUrl}/api/auth/sso/authorize`, idp.issuer);
  expect(step.status).toBe(302);
  const authorizeUrl = new URL(step.location as string);
  expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
  tamperAuthorizeUrl?.(authorizeUrl);
  step = await browser.navigate(authorizeUrl.href, callbackUrl);
  expect(step.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/auth\/sso\/callback\?code=/);
  return { browser, callback: new URL(step.location as string) };
}

async function finish(browser: ReturnType<typeof createCookieBrowser>, callback: URL) {
  const step = await browser.navigate(callback.href, `${consoleUrl}/login/sso`);
  return step;
}

function tokenOf(location: string | null): string {
  const fragment = new URLSearchParams(new URL(location as string).hash.slice(1));
  return fragment.get("access_token") as string;
}

async function me(token: string) {
  const client = createConsoleClient(consoleUrl);
  client.token = token;
  return (await client.call<{ user: { id: string; email: string; role: string; displayName: string } }>("GET", "/api/auth/me"))
    .body.user;
}

describe("SSO configuration", () => {
  it("refuses to enable a configuration whose discovery fails, and tests one before saving", async () => {
    const broken = await api.call("PUT", "/api/admin/sso", ssoConfig({ issuer: "http://127.0.0.1:1/nothing" }));
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringMatching(
          /^invalid SSO configuration: issuer: OIDC discovery at http:\/\/127\.0\.0\.1:1\/nothing failed: /,
        ),
        requestId,
        details: { fields: { issuer: expect.stringMatching(/^OIDC discovery at /) } },
      },
    });
    const metadata = await api.call("PUT", "/api/admin/sso", ssoConfig({ issuer: "http://169.254.169.254/" }));
    expect(metadata.body).toMatchObject({
      error: {
        details: { fields: { issuer: "issuer 169.254.169.254 is link-local (cloud metadata), which upstreams may never use" } },
      },
    });
    const tested = await api.call("POST", "/api/admin/sso/test", ssoConfig());
    expect(tested.status).toBe(200);
    expect(tested.body).toEqual({
      ok: true,
      discovered: {
        issuer: idp.issuer,
        authorizationEndpoint: `${idp.issuer}/auth`,
        tokenEndpoint: `${idp.issuer}/token`,
        userinfoEndpoint: `${idp.issuer}/me`,
        codeChallengeMethods: ["S256"],
      },
    });
    expect((await createConsoleClient(consoleUrl).call("GET", "/api/auth/sso/status")).body).toEqual({
      enabled: false,
      buttonLabel: null,
    });
  });

  it("saves the client secret encrypted and shows only a hint", async () => {
    const saved = await api.call<{ sso: Record<string, unknown> }>("PUT", "/api/admin/sso", ssoConfig());
    expect(saved.status).toBe(200);
    expect(saved.body.sso).toMatchObject({
      enabled: true,
      issuer: idp.issuer,
      hasClientSecret: true,
      clientSecretHint: `${idp.clientSecret.slice(0, 3)}…${idp.clientSecret.slice(-4)}`,
      status: "ok",
    });
    const read = await api.call("GET", "/api/admin/sso");
    expect(JSON.stringify(read.body)).not.toContain(idp.clientSecret);
    const sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1 });
    const [row] = await sql`select value::text as value from system_settings where key = 'sso'`;
    await sql.end();
    expect(row?.value).not.toContain(idp.clientSecret);
    // Keeping the secret: omitted means unchanged.
    const { clientSecret: _omit, ...withoutSecret } = ssoConfig({ buttonLabel: "Sign in with Example" });
    const kept = await api.call<{ sso: Record<string, unknown> }>("PUT", "/api/admin/sso", withoutSecret);
    expect(kept.body.sso).toMatchObject({ hasClientSecret: true, buttonLabel: "Sign in with Example" });
    expect((await createConsoleClient(consoleUrl).call("GET", "/api/auth/sso/status")).body).toEqual({
      enabled: true,
      buttonLabel: "Sign in with Example",
    });
  });
});

describe("SSO login", () => {
  it("logs a new user in, provisioned just in time with the default role", async () => {
    const { browser, callback } = await loginUntilCallback({
      sub: "alice-1",
      email: "Alice@Example.org",
      email_verified: true,
      name: "Alice",
    });
    const done = await finish(browser, callback);
    expect(done.status).toBe(302);
    expect(done.location).toMatch(/\/login\/sso#access_token=/);
    expect(await me(tokenOf(done.location))).toMatchObject({
      email: "alice@example.org",
      displayName: "Alice",
      role: "developer",
    });

    // The second login finds the linked identity (same user, no new account).
    const again = await loginUntilCallback({ sub: "alice-1", email: "alice@example.org", email_verified: true, name: "Alice" });
    const second = await finish(again.browser, again.callback);
    expect((await me(tokenOf(second.location))).email).toBe("alice@example.org");
  });

  it("maps a group to a role", async () => {
    const { browser, callback } = await loginUntilCallback({
      sub: "bob-1",
      email: "bob@example.org",
      groups: ["staff", "tw-admins"],
    });
    const done = await finish(browser, callback);
    expect((await me(tokenOf(done.location))).role).toBe("admin");
  });

  it("refuses a tampered state", async () => {
    const { browser, callback } = await loginUntilCallback({ sub: "mallory-1", email: "mallory@example.org" });
    callback.searchParams.set("state", "forged-state");
    const refused = await finish(browser, callback);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({
      error: { code: "unauthenticated", message: expect.stringMatching(/^SSO login refused: .*"state"/), requestId },
    });
  });

  it("refuses a replayed code, with and without the flow cookie", async () => {
    const { browser, callback } = await loginUntilCallback({ sub: "carol-1", email: "carol@example.org" });
    const flowCookie = browser.cookies(new URL(consoleUrl).host).get("tw_sso_flow");
    expect((await finish(browser, callback)).status).toBe(302);
    // The same browser again: its flow cookie was cleared by the first callback.
    const noCookie = await finish(browser, callback);
    expect(noCookie.status).toBe(401);
    expect(JSON.parse(noCookie.body)).toEqual({
      error: {
        code: "unauthenticated",
        message: "this SSO login expired or was not started in this browser; start again",
        requestId,
      },
    });
    // An attacker who kept the cookie too: the identity provider refuses the used code.
    const replay = await fetch(callback.href, { redirect: "manual", headers: { cookie: `tw_sso_flow=${flowCookie}` } });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({
      error: {
        code: "unauthenticated",
        message: expect.stringMatching(/^SSO login refused: the identity provider answered invalid_grant/),
        requestId,
      },
    });
  });

  it("refuses an ID token whose nonce is not the one this browser's flow asked for", async () => {
    const { browser, callback } = await loginUntilCallback({ sub: "dave-1", email: "dave@example.org" }, (url) =>
      url.searchParams.set("nonce", "attacker-chosen-nonce"),
    );
    const refused = await finish(browser, callback);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({
      error: { code: "unauthenticated", message: expect.stringMatching(/^SSO login refused: .*"nonce"/), requestId },
    });
  });
});

describe("linking to a local account", () => {
  it("links by email only when allowed and the IdP verified the email", async () => {
    const local = await me(api.token as string);
    const first = await loginUntilCallback({ sub: "admin-idp", email: DEFAULT_ADMIN.email, email_verified: true });
    const refused = await finish(first.browser, first.callback);
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.body)).toEqual({
      error: {
        code: "conflict",
        message:
          "a local account already uses this email; an administrator must enable linking by verified email (auth.ssoLinkByVerifiedEmail)",
        requestId,
      },
    });

    expect((await api.call("PATCH", "/api/admin/settings/auth", { ssoLinkByVerifiedEmail: true })).status).toBe(200);
    await waitFor(
      async () => {
        const attempt = await loginUntilCallback({
          sub: "admin-idp-unverified",
          email: DEFAULT_ADMIN.email,
          email_verified: false,
        });
        const result = await finish(attempt.browser, attempt.callback);
        return JSON.parse(result.body || "{}").error?.code === "conflict" ? result : null;
      },
      { what: "an unverified email to stay refused" },
    );
    const linked = await waitFor(
      async () => {
        const attempt = await loginUntilCallback({ sub: "admin-idp", email: DEFAULT_ADMIN.email, email_verified: true });
        const result = await finish(attempt.browser, attempt.callback);
        return result.status === 302 ? result : null;
      },
      { what: "the verified email to link once linking is on" },
    );
    expect((await me(tokenOf(linked.location))).id).toBe(local.id);
  });

  it("answers 404 once SSO is disabled", async () => {
    const { clientSecret: _omit, ...rest } = ssoConfig({ enabled: false });
    expect((await api.call("PUT", "/api/admin/sso", rest)).status).toBe(200);
    const response = await createConsoleClient(consoleUrl).call("GET", "/api/auth/sso/authorize");
    expect(response.body).toEqual({ error: { code: "not_found", message: "single sign-on is not enabled", requestId } });
  });
});
