/**
 * The Settings page and SSO sign-in in real Chromium against the built console and a real fleet: seven tabs, inline
 * validation before anything is sent, a server-side rule shown next to its field, saved changes visible through the
 * API, the SSO configuration tested against a real OIDC provider and saved, and the login page's SSO button taking
 * a new user through the identity provider into the console.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildConsoleWeb,
  type ConsoleBuild,
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  DEFAULT_ADMIN,
  type FleetProcess,
  launchChromium,
  type OidcTestProvider,
  startFleetProcess,
  startOidcTestProvider,
  type TestEnvironment,
} from "@thinkwatch/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SCREENSHOTS = process.env.CONSOLE_SCREENSHOT_DIR ?? join(tmpdir(), "tw-console-screenshots");

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let idp: OidcTestProvider;
let browser: Browser;
let page: Page;
let api: ConsoleClient;
const pageErrors: string[] = [];
let build: ConsoleBuild;

beforeAll(async () => {
  [testEnv, browser, build] = await Promise.all([createTestEnvironment(), launchChromium(), buildConsoleWeb()]);
  fleet = await startFleetProcess({
    env: { ...testEnv.env, CONSOLE_WEB_DIR: build.dir },
    services: ["key-service", "admin-api"],
  });
  idp = await startOidcTestProvider({ redirectUris: [`${fleet.consoleUrl}/api/auth/sso/callback`] });
  api = createConsoleClient(fleet.consoleUrl);
  await api.initialize();
  page = await browser.newPage({ baseURL: fleet.consoleUrl });
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await idp?.close();
  await testEnv?.cleanup();
  build?.remove();
});

async function settingsOf<T>(category: string): Promise<T> {
  return (await api.call<{ settings: Record<string, T> }>("GET", "/api/admin/settings")).body.settings[category] as T;
}

describe("Settings page", () => {
  it("signs in and opens Settings with its seven tabs", async () => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(DEFAULT_ADMIN.email);
    await page.getByLabel("Password").fill(DEFAULT_ADMIN.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    const tabs = await page.getByRole("tablist", { name: "Settings categories" }).getByRole("tab").allTextContents();
    expect(tabs).toEqual(["General", "Authentication", "Gateway", "Security", "API keys", "Audit", "Performance"]);
  });

  it("validates inline, then saves only what changed", async () => {
    await page.getByRole("tab", { name: "Authentication" }).click();
    const threshold = page.getByLabel("Failed logins before lockout");
    await threshold.fill("0");
    await page.getByText("must be at least 1").waitFor();
    await threshold.fill("7");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved 1 setting(s).").waitFor();
    expect(await settingsOf<{ lockoutThreshold: number; lockoutBaseSeconds: number }>("auth")).toMatchObject({
      lockoutThreshold: 7,
      lockoutBaseSeconds: 60,
    });

    await page.getByRole("tab", { name: "Security" }).click();
    await page.getByLabel("Allow upstreams on loopback and private networks").uncheck();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved 1 setting(s).").waitFor();
    expect(await settingsOf<{ allowPrivateUpstreams: boolean }>("security")).toMatchObject({ allowPrivateUpstreams: false });
  });

  it("shows a rule the server checks next to its field", async () => {
    await page.getByRole("tab", { name: "Gateway" }).click();
    await page.getByLabel("Retry max delay (ms)").fill("50");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("must be at least gateway.retryBaseDelayMs").first().waitFor();
    expect(await page.getByLabel("Retry max delay (ms)").getAttribute("aria-invalid")).toBe("true");
    expect(await settingsOf<{ retryMaxDelayMs: number }>("gateway")).toMatchObject({ retryMaxDelayMs: 5000 });
  });

  it("edits the Responses-only model list, starting from the known families, and the chat reasoning route", async () => {
    await page.getByRole("tab", { name: "Gateway" }).click();
    // Leave the invalid retry delay of the previous step behind.
    await page.getByLabel("Retry max delay (ms)").fill("5000");
    const list = page.getByLabel("Models served only by the Responses API");
    expect(await list.inputValue()).toContain("gpt-5-codex*");
    await list.fill("o3-pro*, ft:house-*");
    const chatReasoning = page.getByLabel("Carry reasoning of Chat Completions clients through the Responses API");
    expect(await chatReasoning.isChecked()).toBe(true);
    await chatReasoning.uncheck();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "1280-settings-gateway.png"), fullPage: true });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved 2 setting(s).").waitFor();
    expect(await settingsOf<{ responsesOnlyModels: string[]; chatReasoningViaResponses: boolean }>("gateway")).toMatchObject({
      responsesOnlyModels: ["o3-pro*", "ft:house-*"],
      chatReasoningViaResponses: false,
    });
  });

  it("tests the SSO configuration against the identity provider, then saves it", async () => {
    await page.getByRole("tab", { name: "Authentication" }).click();
    await page.getByLabel("Issuer URL").fill(idp.issuer);
    await page.getByLabel("Client ID").fill(idp.clientId);
    await page.getByLabel("Client secret").fill(idp.clientSecret);
    await page.getByLabel("Login button label").fill("Sign in with Example IdP");
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText(`Discovery succeeded: ${idp.issuer}`).waitFor();
    await page.getByLabel("Enable single sign-on").check();
    await page.getByRole("button", { name: "Save SSO" }).click();
    await page.getByText("SSO configuration saved.").waitFor();
    const saved = (await api.call<{ sso: Record<string, unknown> }>("GET", "/api/admin/sso")).body.sso;
    expect(saved).toMatchObject({ enabled: true, issuer: idp.issuer, clientId: idp.clientId, hasClientSecret: true });
  });
});

describe("SSO sign-in", () => {
  it("shows the SSO button on the login page and signs a new user in through the identity provider", async () => {
    const context = await browser.newContext({ baseURL: fleet.consoleUrl });
    const fresh = await context.newPage();
    fresh.on("pageerror", (error) => pageErrors.push(error.message));
    try {
      idp.loginAs({ sub: "erin-1", email: "erin@example.org", email_verified: true, name: "Erin Example" });
      await fresh.goto("/login");
      await fresh.getByRole("link", { name: "Sign in with Example IdP" }).click();
      await fresh.getByRole("navigation", { name: "Main" }).waitFor({ timeout: 15_000 });
      expect(new URL(fresh.url()).pathname).toBe("/");
      expect(new URL(fresh.url()).hash).toBe("");
      await fresh.getByText("Erin Example").first().waitFor();
      // A developer: no Settings entry in the navigation.
      expect(await fresh.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).count()).toBe(0);
    } finally {
      await context.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
