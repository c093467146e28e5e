/**
 * Two tabs of one browser share the single-use refresh cookie. A duplicated tab arms its refresh timer for the same
 * moment as the original; in real Chromium both fire together (page clocks fast-forwarded at once) and the console
 * serializes them with the Web Locks API, so the second presents the cookie the first just received: both tabs get
 * a new access token and the session survives — while the server still ends a session on real reuse.
 */
import { buildConsoleWeb, type ConsoleBuild, launchChromium } from "@thinkwatch/testkit";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminHarness, startAdminHarness } from "./support/admin-harness.js";
import { call, setupSuperAdmin } from "./support/console-http.js";

const ADMIN = { email: "tabs@example.com", password: "Console-tabs-2024" };
const SESSION_KEY = "thinkwatch.session";
let h: AdminHarness;
let browser: Browser;
let build: ConsoleBuild;
let context: BrowserContext;
const pageErrors: string[] = [];

beforeAll(async () => {
  [browser, build] = await Promise.all([launchChromium(), buildConsoleWeb()]);
  h = await startAdminHarness({ consoleWebDir: build.dir });
  await setupSuperAdmin(h.url, ADMIN.email, ADMIN.password);
  context = await browser.newContext({ baseURL: h.url });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  build?.remove();
});

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.clock.install();
  return page;
}

const accessTokenOf = (page: Page) =>
  page.evaluate<string | null>(`JSON.parse(window.sessionStorage.getItem("${SESSION_KEY}") ?? "null")?.accessToken ?? null`);

describe("session refresh across tabs", () => {
  it("refreshes two tabs firing at the same moment without taking it for reuse", async () => {
    const first = await openPage();
    await first.goto("/login");
    await first.getByLabel("Email").fill(ADMIN.email);
    await first.getByLabel("Password").fill(ADMIN.password);
    await first.getByRole("button", { name: "Sign in" }).click();
    await first.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    const original = await accessTokenOf(first);
    expect(original).not.toBeNull();

    // A duplicated tab: the same sessionStorage (so the same expiry and timer), the same cookie jar.
    const stored = await first.evaluate<string>(`window.sessionStorage.getItem("${SESSION_KEY}")`);
    const second = await openPage();
    await second.addInitScript(
      `if (window.sessionStorage.getItem(${JSON.stringify(SESSION_KEY)}) === null) window.sessionStorage.setItem(${JSON.stringify(SESSION_KEY)}, ${JSON.stringify(stored)});`,
    );
    await second.goto("/");
    await second.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    expect(await accessTokenOf(second)).toBe(original);

    const refreshes: Response[] = [];
    context.on("response", (response) => {
      if (response.url().endsWith("/api/auth/refresh")) refreshes.push(response);
    });
    // The default access token lives 15 minutes; the tabs refresh a minute before. Both clocks jump past that at once.
    await Promise.all([first.clock.fastForward("14:30"), second.clock.fastForward("14:30")]);
    await expect.poll(() => refreshes.length, { timeout: 15_000 }).toBe(2);
    expect(refreshes.map((r) => r.status())).toEqual([200, 200]);

    await expect
      .poll(async () => (await Promise.all([accessTokenOf(first), accessTokenOf(second)])).includes(original))
      .toBe(false);
    const [a, b] = await Promise.all([accessTokenOf(first), accessTokenOf(second)]);
    // Both tabs hold a new token (the same one when both were issued within one second: a JWT has no nonce).
    expect([a, b]).not.toContain(original);
    for (const token of [a, b]) expect((await call(h.url, "GET", "/api/auth/me", { token: token ?? "" })).status).toBe(200);
    expect(h.audit.filter((record) => record.action === "session.refresh_reused")).toEqual([]);
    // Both tabs still work in the console itself.
    for (const page of [first, second]) {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
      await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    }
    expect(pageErrors).toEqual([]);
  });
});
