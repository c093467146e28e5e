/**
 * Linking a per-user OAuth MCP server from the console in a real browser (headless Chromium on the built SPA): the
 * user clicks "Link my account", the browser goes through the upstream's real authorization server (oidc-provider)
 * and admin-api's callback back to the MCP servers page, which shows "Linked ✓"; "Unlink" undoes it. No token ever
 * reaches the browser.
 */
import {
  buildConsoleWeb,
  type ConsoleBuild,
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  launchChromium,
  type OAuthProtectedMcp,
  startFleetProcess,
  startOAuthProtectedMcp,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ADMIN = { email: "link-admin@example.com", password: "Link-admin-2024" };

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let browser: Browser;
let build: ConsoleBuild;
let upstream: OAuthProtectedMcp;
let page: Page;
const pageErrors: string[] = [];
const apiBodies: string[] = [];

beforeAll(async () => {
  [testEnv, browser, build] = await Promise.all([createTestEnvironment(), launchChromium(), buildConsoleWeb()]);
  fleet = await startFleetProcess({
    env: { ...testEnv.env, CONSOLE_WEB_DIR: build.dir },
    services: ["key-service", "admin-api", "mcp-proxy"],
  });
  upstream = await startOAuthProtectedMcp({
    redirectUris: [`${fleet.consoleUrl}/api/mcp/oauth/callback`],
    accessTokenTtlSeconds: 300,
  });
  const admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize(ADMIN);
  const created = await admin.call("POST", "/api/mcp/servers", {
    name: "Notes",
    transport: "streamable_http",
    url: upstream.url,
    authMode: "per_user_oauth",
    oauth: { clientId: upstream.clientId, clientSecret: upstream.clientSecret, scopes: "tools" },
  });
  if (created.status !== 201) throw new Error(`register: ${created.status} ${JSON.stringify(created.body)}`);
  const context = await browser.newContext({ baseURL: fleet.consoleUrl, viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("response", async (response) => {
    if (response.url().startsWith(fleet.consoleUrl)) apiBodies.push(await response.text().catch(() => ""));
  });
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await upstream?.close();
  await testEnv?.cleanup();
  build?.remove();
});

describe("linking my account at a per-user OAuth MCP server", () => {
  it("links through the authorization server and comes back to the page showing Linked ✓", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "MCP servers" }).click();
    const row = page.getByRole("row").filter({ hasText: "Notes" });
    await row.getByText("Each user's OAuth").waitFor();
    upstream.loginAs("carol");
    await row.getByRole("button", { name: "Link my account on Notes" }).click();
    await page.waitForURL(/\/mcp\/servers\?linked=/);
    await page.getByRole("row").filter({ hasText: "Notes" }).getByText("Linked ✓").waitFor();
  });

  it("unlinks", async () => {
    const row = page.getByRole("row").filter({ hasText: "Notes" });
    await row.getByRole("button", { name: "Unlink my account from Notes" }).click();
    await row.getByRole("button", { name: "Link my account on Notes" }).waitFor();
  });

  it("never sent a token to the browser and raised no page errors", () => {
    expect(upstream.issuedTokens.length).toBeGreaterThan(0);
    const seen = apiBodies.join("\n");
    for (const token of upstream.issuedTokens) expect(seen.includes(token)).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
