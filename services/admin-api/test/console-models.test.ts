/**
 * The console's Models page in a real browser (headless Chromium on the built SPA; real admin-api, key-service,
 * quota and ai-proxy): it lists each model's routes with weight share, priority, caps and the breaker state the
 * ai-proxy replicas share; an admin adds a model with two routes, edits the routes, and deletes the model.
 */
import {
  buildConsoleWeb,
  type ConsoleBuild,
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  launchChromium,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ADMIN = { email: "root@example.com", password: "Models-admin-2024" };

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let browser: Browser;
let build: ConsoleBuild;
let context: BrowserContext;
let page: Page;
let admin: ConsoleClient;
let key: string;
const providers: Record<string, string> = {};
const pageErrors: string[] = [];

beforeAll(async () => {
  [testEnv, browser, build] = await Promise.all([createTestEnvironment(), launchChromium(), buildConsoleWeb()]);
  fleet = await startFleetProcess({
    env: { ...testEnv.env, CONSOLE_WEB_DIR: build.dir },
    services: ["key-service", "quota", "admin-api", "ai-proxy"],
  });
  admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize(ADMIN);
  // Nothing listens on port 9: every call to "dead-end" fails to connect, which opens its breaker.
  for (const name of ["primary", "secondary", "dead-end"]) {
    const created = await admin.call<{ provider: { id: string } }>("POST", "/api/admin/providers", {
      name,
      kind: "openai_compatible",
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: "sk-test",
    });
    providers[name] = created.body.provider.id;
  }
  await admin.call("POST", "/api/admin/models", { model: "broken", providerId: providers["dead-end"] });
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "models-page" })).body.plaintext;

  context = await browser.newContext({ baseURL: fleet.consoleUrl, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await fleet?.stop();
  await testEnv?.cleanup();
  build?.remove();
});

type ListedModel = {
  id: string;
  model: string;
  routes: Array<{ providerName: string; upstreamModel: string; weight: number; priority: number; rpmLimit: number | null }>;
};
const listModels = async () => (await admin.call<{ models: ListedModel[] }>("GET", "/api/admin/models")).body.models;

describe("the Models page", () => {
  it("shows a route's breaker open once its upstream keeps failing", async () => {
    // Default settings: 2 retries, breaker at 5 failures and 50 % — two client calls make six failed attempts.
    await waitFor(
      async () => {
        await fetch(`${fleet.gatewayUrl}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: "broken", messages: [{ role: "user", content: "hi" }] }),
        });
        const listed = await admin.call<{ models: Array<{ model: string; routes: Array<{ health: { state: string } }> }> }>(
          "GET",
          "/api/admin/models",
        );
        return listed.body.models.find((m) => m.model === "broken")?.routes[0]?.health.state === "open";
      },
      { what: "the breaker of the broken route to open", timeoutMs: 60_000 },
    );
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models", exact: true }).click();
    await page.getByRole("heading", { name: "Models", level: 1 }).waitFor();
    const row = page.getByRole("row").filter({ hasText: "broken" });
    await row.getByText("breaker open").waitFor();
    expect(await row.textContent()).toContain("dead-end → broken P0 · weight 1 (100%)");
  });

  it("adds a model with two weighted routes", async () => {
    await page.getByRole("button", { name: "Add model" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add a model" });
    await dialog.getByLabel("Model name").fill("smart");
    await dialog.getByLabel("Route 1 provider").selectOption({ label: "primary" });
    await dialog.getByLabel("Route 1 upstream model").fill("gpt-4o");
    await dialog.getByLabel("Route 1 weight").fill("3");
    await dialog.getByRole("button", { name: "Add route" }).click();
    await dialog.getByLabel("Route 2 provider").selectOption({ label: "secondary" });
    await dialog.getByLabel("Route 2 weight").fill("not a number");
    await dialog.getByRole("button", { name: "Add model" }).click();
    // Client-side check first: the bad weight is pointed at, nothing is sent.
    await dialog.getByText("A whole number from 0 to 10000.").waitFor();
    await dialog.getByLabel("Route 2 weight").fill("1");
    await dialog.getByLabel("Route 2 requests per minute").fill("120");
    await dialog.getByRole("button", { name: "Add model" }).click();
    await dialog.waitFor({ state: "hidden" });

    const row = page.getByRole("row").filter({ hasText: "smart" });
    await row.getByText("primary → gpt-4o").waitFor();
    expect(await row.textContent()).toContain("P0 · weight 3 (75%)");
    expect(await row.textContent()).toContain("secondary → smart P0 · weight 1 (25%) · 120 req/min");
    const smart = (await listModels()).find((m) => m.model === "smart");
    expect(smart?.routes).toMatchObject([
      { providerName: "primary", upstreamModel: "gpt-4o", weight: 3, priority: 0, rpmLimit: null },
      { providerName: "secondary", upstreamModel: "smart", weight: 1, priority: 0, rpmLimit: 120 },
    ]);
  });

  it("edits the routes: the second becomes a fallback at priority 1", async () => {
    const row = page.getByRole("row").filter({ hasText: "smart" });
    await row.getByRole("button", { name: "Edit routes" }).click();
    const dialog = page.getByRole("dialog", { name: "Routes of smart" });
    expect(await dialog.getByLabel("Route 1 weight").inputValue()).toBe("3");
    await dialog.getByLabel("Route 2 priority").fill("1");
    await dialog.getByRole("button", { name: "Save routes" }).click();
    await dialog.waitFor({ state: "hidden" });
    await row.getByText("secondary → smart P1 · weight 1 (100%)").waitFor();
    expect(await row.textContent()).toContain("P0 · weight 3 (100%)");
    const smart = (await listModels()).find((m) => m.model === "smart");
    expect(smart?.routes.map((r) => [r.providerName, r.priority])).toEqual([
      ["primary", 0],
      ["secondary", 1],
    ]);
  });

  it("deletes a model after confirmation", async () => {
    const row = page.getByRole("row").filter({ hasText: "smart" });
    await row.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete smart?" });
    await dialog.getByRole("button", { name: "Delete model" }).click();
    await dialog.waitFor({ state: "hidden" });
    await row.waitFor({ state: "detached" });
    expect((await listModels()).map((m) => m.model)).toEqual(["broken"]);
    expect(pageErrors).toEqual([]);
  });
});
