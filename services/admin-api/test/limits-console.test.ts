/**
 * The Limits page and model prices in a real browser: headless Chromium drives the built console against a real
 * fleet (key-service, quota, admin-api, ai-proxy). An admin opens their own user, adds a rule and a budget (inline
 * validation before anything is sent, the API's field errors next to the inputs), the gateway enforces the rule,
 * and the usage bar shows "X / Y used". An MCP server is picked by name and given a tool-call rule (MCP gateway rules
 * count requests, inline). On Providers & Models, the shipped price of gpt-4o is overridden, and an OpenAI-compatible
 * provider is added with the Responses API settings (a real boolean and a list, checked inline first).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  DEFAULT_ADMIN,
  everythingStdio,
  type FakeUpstream,
  type FleetProcess,
  launchChromium,
  REPO_ROOT,
  startFakeUpstream,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SCREENSHOTS = process.env.CONSOLE_SCREENSHOT_DIR ?? join(tmpdir(), "tw-console-screenshots");

let testEnv: TestEnvironment;
let upstream: FakeUpstream;
let fleet: FleetProcess;
let browser: Browser;
let page: Page;
let admin: ConsoleClient;
let userId: string;
let key: string;
const pageErrors: string[] = [];
const distDir = mkdtempSync(join(tmpdir(), "tw-console-limits-"));

beforeAll(async () => {
  [testEnv, upstream, browser] = await Promise.all([
    createTestEnvironment(),
    startFakeUpstream({ kind: "openai", record: false }),
    launchChromium(),
    promisify(execFile)("npm", ["run", "build", "-w", "console-web", "--", "--outDir", distDir, "--emptyOutDir"], {
      cwd: REPO_ROOT,
    }),
  ]);
  fleet = await startFleetProcess({
    env: { ...testEnv.env, CONSOLE_WEB_DIR: distDir },
    services: ["key-service", "quota", "admin-api", "ai-proxy"],
  });
  admin = createConsoleClient(fleet.consoleUrl);
  ({ userId } = await admin.initialize());
  const provider = await admin.call("POST", "/api/admin/providers", {
    name: "openai",
    kind: "openai",
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
  });
  expect(provider.status).toBe(201);
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "limits-ui" })).body.plaintext;
  page = await browser.newPage({ baseURL: fleet.consoleUrl });
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(DEFAULT_ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(DEFAULT_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await upstream?.close();
  await testEnv?.cleanup();
  rmSync(distDir, { recursive: true, force: true });
});

function chat(): Promise<Response> {
  return fetch(`${fleet.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });
}

describe("the Limits page", () => {
  it("adds a rule and a budget with inline validation, and shows usage as X / Y used", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Limits" }).click();
    await page.getByRole("heading", { name: "Limits", level: 1 }).waitFor();
    await page.getByText("No limits yet").waitFor();

    const picker = page.getByRole("form", { name: "Open a subject" });
    await picker.getByRole("button", { name: "Open" }).click();
    await picker.getByRole("alert").filter({ hasText: "enter the subject's id" }).waitFor();
    await picker.getByLabel("Kind").selectOption({ label: "User" });
    await picker.getByLabel("Id").fill(userId);
    await picker.getByRole("button", { name: "Open" }).click();
    await page.getByRole("heading", { name: `Usage of user ${userId}` }).waitFor();
    await page.getByText("No rules or budgets for this subject yet.").waitFor();

    // A rule: a negative limit is refused as typed, before anything is sent.
    const rules = page.getByRole("form", { name: "Rate-limit rules" });
    await rules.getByRole("button", { name: "Add rule" }).click();
    const rule = rules.getByRole("group", { name: "Rule 1" });
    await rule.getByLabel("Limit").fill("-1");
    await rule.getByRole("alert").filter({ hasText: "limit must be a whole number ≥ 0" }).waitFor();
    await rule.getByLabel("Limit").fill("2");
    await rule.getByLabel("Window").selectOption({ label: "1 minute" });
    await rule.getByLabel("Reason (optional)").fill("UI test");
    await rules.getByRole("button", { name: "Save rules" }).click();
    await rules.getByRole("status").filter({ hasText: "Rules saved." }).waitFor();

    // A budget: an unknown time zone passes the form but the API names the field, shown next to the input.
    const budgets = page.getByRole("form", { name: "Budget caps" });
    await budgets.getByRole("button", { name: "Add budget" }).click();
    const budget = budgets.getByRole("group", { name: "Budget 1" });
    await budget.getByLabel("Cap").fill("-5");
    await budget.getByRole("alert").filter({ hasText: "limit must be a number ≥ 0" }).waitFor();
    await budget.getByLabel("Cap").fill("5000");
    await budget.getByLabel("Time zone").fill("Mars/Olympus_Mons");
    await budgets.getByRole("button", { name: "Save budgets" }).click();
    await budget.getByRole("alert").filter({ hasText: "timezone must be an IANA time zone such as Europe/Berlin" }).waitFor();
    await budget.getByLabel("Time zone").fill("Europe/Berlin");
    await budgets.getByRole("button", { name: "Save budgets" }).click();
    await budgets.getByRole("status").filter({ hasText: "Budgets saved." }).waitFor();
    const stored = await admin.call("GET", `/api/admin/limits/user/${userId}/budgets`);
    expect(stored.body).toEqual({
      budgets: [
        {
          period: "monthly",
          unit: "tokens",
          limit: 5000,
          timezone: "Europe/Berlin",
          enabled: true,
          expiresAt: null,
          reason: null,
        },
      ],
    });

    // The gateway enforces the rule (once the rule index reached it): two pass, the third is refused.
    await waitFor(async () => (await chat()).headers.get("x-ratelimit-rule") === "user:requests/1m");
    const third = await waitFor(async () => {
      const response = await chat();
      return response.status === 429 ? response : null;
    });
    expect(third.headers.get("x-ratelimit-rule")).toBe("user:requests/1m");

    // The usage bar of the rule reads "2 / 2 used" (the page refreshes usage on its own).
    const bar = page.getByRole("progressbar", { name: "user:requests/1m" });
    await waitFor(async () => (await bar.getAttribute("aria-valuetext")) === "2 / 2 used", { timeoutMs: 30_000 });
    await page.getByText("2 / 2 used").waitFor();
    await page.getByRole("progressbar", { name: "user:budget/monthly" }).waitFor();
    // The subject now appears in the list of subjects with limits.
    await page.getByRole("row").filter({ hasText: userId }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});

describe("MCP server limits on the Limits page", () => {
  it("picks an MCP server by name and saves a tool-call rule; tokens are refused inline, budgets are not offered", async () => {
    const created = await admin.call<{ server: { id: string } }>("POST", "/api/mcp/servers", {
      name: "tool-box",
      transport: "stdio",
      ...everythingStdio(),
    });
    expect(created.status).toBe(201);
    const serverId = created.body.server.id;
    await page.reload();
    await page.getByRole("heading", { name: "Limits", level: 1 }).waitFor();

    const picker = page.getByRole("form", { name: "Open a subject" });
    await picker.getByLabel("Kind").selectOption({ label: "MCP server" });
    await picker.getByRole("button", { name: "Open" }).click();
    await picker.getByRole("alert").filter({ hasText: "choose an MCP server" }).waitFor();
    await picker.getByLabel("MCP server").selectOption({ label: "tool-box" });
    await picker.getByRole("button", { name: "Open" }).click();
    await page.getByRole("heading", { name: `Usage of mcp_server ${serverId}` }).waitFor();
    await page.getByText("MCP servers have no token cost: limit their tool calls with rules above.").waitFor();
    expect(await page.getByRole("form", { name: "Budget caps" }).count()).toBe(0);

    const rules = page.getByRole("form", { name: "Rate-limit rules" });
    await rules.getByRole("button", { name: "Add rule" }).click();
    const rule = rules.getByRole("group", { name: "Rule 1" });
    // A new rule of an MCP server starts on the MCP gateway.
    expect(await rule.getByLabel("Gateway").inputValue()).toBe("mcp_gateway");
    await rule.getByLabel("Limit").fill("30");
    await rule.getByLabel("Counts").selectOption({ label: "Weighted tokens" });
    await rule
      .getByRole("alert")
      .filter({ hasText: "MCP gateway rules count tool calls (requests); tool calls have no tokens" })
      .waitFor();
    await rule.getByLabel("Counts").selectOption({ label: "Requests" });
    await rule.getByLabel("Window").selectOption({ label: "1 hour" });
    await rules.getByRole("button", { name: "Save rules" }).click();
    await rules.getByRole("status").filter({ hasText: "Rules saved." }).waitFor();

    const stored = await admin.call("GET", `/api/admin/limits/mcp_server/${serverId}/rules`);
    expect(stored.body).toEqual({
      rules: [
        {
          surface: "mcp_gateway",
          metric: "requests",
          windowSeconds: 3600,
          limit: 30,
          enabled: true,
          expiresAt: null,
          reason: null,
        },
      ],
    });
    await page.getByRole("progressbar", { name: "mcp_server:requests/1h" }).waitFor();
    await page.getByRole("row").filter({ hasText: serverId }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});

describe("Providers & Models", () => {
  it("lists the shipped table and overrides a price with inline validation", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Providers & Models" }).click();
    const prices = page.getByRole("table", { name: "Model prices" });
    const row = prices.getByRole("row").filter({ has: page.getByText("gpt-4o", { exact: true }) });
    await row.waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual(
      expect.arrayContaining(["gpt-4o", "$2.5", "$1.25", "$10", "1× / 1×", "default"]),
    );
    await row.getByRole("button", { name: "Edit price of gpt-4o" }).click();
    const dialog = page.getByRole("dialog", { name: "Price of gpt-4o" });
    await dialog.getByLabel("Output multiplier").fill("-2");
    await dialog.getByRole("alert").filter({ hasText: "output multiplier must be a number ≥ 0" }).waitFor();
    await dialog.getByLabel("Output multiplier").fill("4");
    await dialog.getByLabel("Output $ / 1M tokens").fill("12");
    await dialog.getByRole("button", { name: "Save price" }).click();
    await dialog.waitFor({ state: "hidden" });
    await row.getByText("override").waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual(expect.arrayContaining(["$12", "1× / 4×"]));
    const stored = await admin.call<{ models: Array<Record<string, unknown>> }>("GET", "/api/admin/model-pricing");
    expect(stored.body.models.find((m) => m.model === "gpt-4o")).toMatchObject({
      outputPerMTok: 12,
      outputMultiplier: 4,
      source: "override",
    });
    expect(pageErrors).toEqual([]);
  });

  it("adds an OpenAI-compatible provider that speaks the Responses API, with its Responses-only models", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Providers & Models" }).click();
    await page.getByRole("button", { name: "Add provider" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add a provider" });
    await dialog.getByLabel("Kind").selectOption({ label: "Anthropic" });
    // Kinds without the Responses API offer neither field.
    expect(await dialog.getByLabel("Speaks the OpenAI Responses API").count()).toBe(0);
    expect(await dialog.getByLabel("Responses-only models (optional)").count()).toBe(0);

    await dialog.getByLabel("Name", { exact: true }).fill("vllm-responses");
    await dialog.getByLabel("Kind").selectOption({ label: "OpenAI-compatible (vLLM, Ollama, …)" });
    await dialog.getByLabel("Base URL").fill("http://127.0.0.1:9/v1");
    await dialog.getByLabel("Speaks the OpenAI Responses API").check();
    const models = dialog.getByLabel("Responses-only models (optional)");
    await models.fill("house-codex*, house pro");
    await dialog.getByLabel("Model 1 name").fill("house-codex-mini");
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await dialog
      .getByText("'house pro' is not a model name or pattern (no spaces inside a name; separate names with commas)")
      .waitFor();
    expect(await models.getAttribute("aria-invalid")).toBe("true");
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "1280-provider-responses-form.png") });

    await models.fill("house-codex*, house-pro");
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await dialog.waitFor({ state: "hidden" });
    const listed = await admin.call<{ providers: Array<{ name: string; settings: Record<string, unknown> }> }>(
      "GET",
      "/api/admin/providers",
    );
    expect(listed.body.providers.find((p) => p.name === "vllm-responses")?.settings).toEqual({
      responsesApi: true,
      responsesModels: ["house-codex*", "house-pro"],
    });
    expect(pageErrors).toEqual([]);
  });
});
