/**
 * The first-run journey in a real browser: headless Chromium drives the built console SPA against a real fleet
 * (key-service, quota, admin-api, ai-proxy) — setup wizard, first provider, first key used on the gateway, sign out,
 * sign in, revoke — and the gateway's answers prove each step took effect.
 */
import {
  buildConsoleWeb,
  type ConsoleBuild,
  createTestEnvironment,
  type FakeUpstream,
  type FleetProcess,
  launchChromium,
  startFakeUpstream,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ADMIN = { email: "owner@example.com", displayName: "Olivia Owner", password: "Journey-pass-2024" };
const PROVIDER_NAME = "fake-openai";
const KEY_NAME = "journey-laptop";
const MODEL = "gpt-4o-mini";

let testEnv: TestEnvironment;
let upstream: FakeUpstream;
let fleet: FleetProcess;
let browser: Browser;
let page: Page;
let build: ConsoleBuild;
/** Uncaught exceptions in the page: a journey that passes while the app throws is not a pass. */
const pageErrors: string[] = [];

beforeAll(async () => {
  [testEnv, upstream, browser, build] = await Promise.all([
    createTestEnvironment(),
    startFakeUpstream("openai"),
    launchChromium(),
    buildConsoleWeb(),
  ]);
  fleet = await startFleetProcess({
    env: { ...testEnv.env, CONSOLE_WEB_DIR: build.dir },
    services: ["key-service", "quota", "admin-api", "ai-proxy"],
  });
  page = await browser.newPage({ baseURL: fleet.consoleUrl });
  // Fail a missing element in seconds rather than at the 30 s default.
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await upstream?.close();
  await testEnv?.cleanup();
  build?.remove();
});

function chat(key: string, content: string): Promise<Response> {
  return fetch(`${fleet.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content }] }),
  });
}

/** The password checklist as the user sees it, e.g. `○ a digit` (unmet) or `✓ a digit` (met). */
function passwordChecklist(): Promise<string[]> {
  return page
    .getByRole("list", { name: "Password requirements" })
    .getByRole("listitem")
    .allTextContents()
    .then((items) => items.map((item) => item.trim()));
}

/** The sidebar's navigation landmark. */
function nav() {
  return page.getByRole("navigation", { name: "Main" });
}

describe("console journey in a real browser", () => {
  let plaintext: string;

  it("sends a fresh installation from / to the setup wizard", async () => {
    await page.goto("/");
    await page.waitForURL("**/setup");
    await page.getByRole("heading", { name: "Set up ThinkWatch" }).waitFor();
    await page.getByRole("button", { name: "Create admin account" }).waitFor();
  });

  it("checks the password rule live and refuses a weak password without a round trip", async () => {
    await page.getByLabel("Site name (optional)").fill("Journey Inc");
    await page.getByLabel("Admin email").fill(ADMIN.email);
    await page.getByLabel("Display name (optional)").fill(ADMIN.displayName);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await expect
      .poll(passwordChecklist)
      .toEqual(["○ at least 8 characters", "○ an uppercase letter", "✓ a lowercase letter", "○ a digit"]);

    await page.getByLabel("Confirm password").fill("shorter");
    await page.getByText("the passwords differ").waitFor();

    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.getByText("password needs at least 8 characters, an uppercase letter, a digit").waitFor();
    await page.getByText("Please correct the highlighted fields.").waitFor();
    // Still on step 1, and nothing was created.
    await page.getByRole("button", { name: "Create admin account" }).waitFor();
    const status = await fetch(`${fleet.consoleUrl}/api/setup/status`).then((r) => r.json());
    expect(status).toEqual({ initialized: false, needsSetup: true });
  });

  it("creates the admin with a valid password", async () => {
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await expect
      .poll(passwordChecklist)
      .toEqual(["✓ at least 8 characters", "✓ an uppercase letter", "✓ a lowercase letter", "✓ a digit"]);
    await page.getByLabel("Confirm password").fill(ADMIN.password);
    await page.getByText("✓ the passwords match").waitFor();

    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.getByRole("button", { name: "Add provider and continue" }).waitFor();
    const status = await fetch(`${fleet.consoleUrl}/api/setup/status`).then((r) => r.json());
    expect(status).toEqual({ initialized: true, needsSetup: false });
  });

  it("adds an OpenAI provider pointing at the fake upstream", async () => {
    await page.getByLabel("Name", { exact: true }).fill(PROVIDER_NAME);
    await page.getByLabel("Kind").selectOption({ label: "OpenAI" });
    await page.getByLabel("Base URL (optional)").fill(upstream.baseUrl);
    await page.getByLabel("API key (optional)").fill(upstream.apiKey);
    await page.getByLabel("Model 1 name").fill(MODEL);
    await page.getByRole("button", { name: "Add provider and continue" }).click();

    await page.getByText(`Added ${PROVIDER_NAME} with 1 model(s).`).waitFor();
    await page.getByRole("button", { name: "Create key" }).waitFor();
    // The key form suggests what the provider just made routable.
    await page.getByText(`Empty allows every model. Routed now: ${MODEL}`).waitFor();
  });

  it("creates the first API key and shows its plaintext once, with snippets that contain it", async () => {
    await page.getByLabel("Name", { exact: true }).fill(KEY_NAME);
    await page.getByRole("button", { name: "Create key" }).click();

    const keyText = page.getByText(/^tw-[0-9A-Za-z]{40}$/);
    plaintext = ((await keyText.textContent()) ?? "").trim();
    expect(plaintext).toMatch(/^tw-[0-9A-Za-z]{40}$/);
    await page.getByText(`Copy the key for ${KEY_NAME} now.`).waitFor();
    const curl = await page.getByText(/^curl /).textContent();
    expect(curl).toContain(`Authorization: Bearer ${plaintext}`);
    expect(curl).toContain(`"model":"${MODEL}"`);
  });

  it("the key from the page works on the gateway, which calls the provider with the provider's key", async () => {
    // The provider reaches ai-proxy through the config KV; give it a moment to arrive.
    const response = await waitFor(
      async () => {
        const attempt = await chat(plaintext, "hello from the console journey");
        if (attempt.status !== 200) throw new Error(`HTTP ${attempt.status}: ${await attempt.text()}`);
        return attempt;
      },
      { what: "the gateway to accept the key from the console", timeoutMs: 15_000 },
    );
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe("echo: hello from the console journey");
    expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${upstream.apiKey}`);
  });

  it("finishes the wizard into the console's overview, which shows the gateway URL", async () => {
    await page.getByRole("button", { name: "Finish and open the console" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    const gatewayUrl = `${new URL(fleet.consoleUrl).protocol}//${new URL(fleet.consoleUrl).hostname}:3000/v1`;
    await page.getByRole("main").getByText(gatewayUrl, { exact: true }).waitFor();
    expect(await nav().getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBe("page");
  });

  it("opens API Keys from the sidebar, where the key shows only by its prefix", async () => {
    await nav().getByRole("link", { name: "API Keys" }).click();
    await page.waitForURL((url) => url.pathname === "/keys");
    await page.getByRole("heading", { name: "API Keys", level: 1 }).waitFor();
    expect(await nav().getByRole("link", { name: "API Keys" }).getAttribute("aria-current")).toBe("page");
    expect(await nav().getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBeNull();
    const keyRow = page.getByRole("row").filter({ hasText: KEY_NAME });
    await keyRow.waitFor();
    const prefix = (await keyRow.getByRole("cell").nth(1).textContent())?.replace(/…$/, "") ?? "";
    expect(prefix.length).toBeGreaterThan(3);
    expect(prefix.length).toBeLessThan(plaintext.length);
    expect(plaintext.startsWith(prefix)).toBe(true);
    expect(await page.content()).not.toContain(plaintext);
  });

  it("signs out from the user menu to the login page", async () => {
    await page.getByRole("banner").getByRole("button", { name: ADMIN.displayName }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/login");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  });

  it("refuses a wrong password on /login with the error shown", async () => {
    await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill("Wrong-pass-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "wrong email or password" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("signs in again, back on the page it left, and sees the provider and the key", async () => {
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/keys");
    await page.getByRole("banner").getByText(ADMIN.displayName).waitFor();
    await page.getByRole("banner").getByText("super admin").waitFor();

    const keyRow = page.getByRole("row").filter({ hasText: KEY_NAME });
    await keyRow.waitFor();
    const keyCells = await keyRow.getByRole("cell").allTextContents();
    expect(keyCells[2]).toBe("AI, MCP");
    expect(keyCells[3]).toBe("all");
    expect(keyCells[8]).toBe("active");

    await nav().getByRole("link", { name: "Providers & Models" }).click();
    await page.waitForURL((url) => url.pathname === "/providers");
    const providerRow = page.getByRole("row").filter({ hasText: PROVIDER_NAME });
    await providerRow.waitFor();
    const providerCells = await providerRow.getByRole("cell").allTextContents();
    expect(providerCells.slice(0, 6)).toEqual([PROVIDER_NAME, "OpenAI", upstream.baseUrl, "stored", MODEL, "active"]);
  });

  it("revokes the key in the UI after confirming, after which the gateway refuses it", async () => {
    await nav().getByRole("link", { name: "API Keys" }).click();
    const keyRow = page.getByRole("row").filter({ hasText: KEY_NAME });
    await keyRow.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke API key" });
    await dialog.getByText(`Revoke the key “${KEY_NAME}”?`).waitFor();
    // A destructive confirmation starts on Cancel, so Enter does not revoke by accident.
    expect(
      await dialog.getByRole("button", { name: "Cancel" }).evaluate((button) => button === button.ownerDocument.activeElement),
    ).toBe(true);
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await dialog.waitFor({ state: "hidden" });

    await keyRow.getByText(/^revoked /).waitFor();
    expect(await keyRow.getByRole("button", { name: "Revoke" }).count()).toBe(0);

    const refused = await waitFor(
      async () => {
        const attempt = await chat(plaintext, "after revoke");
        return attempt.status === 401 ? attempt : undefined;
      },
      { what: "the gateway to refuse the revoked key", timeoutMs: 10_000 },
    );
    expect(await refused.json()).toMatchObject({
      error: { code: "invalid_api_key", message: "this API key has been revoked" },
    });
  });

  it("threw no uncaught errors in the page along the way", () => {
    expect(pageErrors).toEqual([]);
  });
});
