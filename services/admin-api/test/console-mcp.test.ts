/**
 * The MCP pages in a real browser (headless Chromium on the built SPA, with admin-api, key-service and mcp-proxy):
 * an admin registers a stdio MCP server with a secret, tests it and sees its tools, finds them in the tool catalog
 * under their exposed names, grants and revokes tool permissions, disables and deletes the server; the secret never comes back to the browser.
 */

import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildConsoleWeb,
  type ConsoleBuild,
  createConsoleClient,
  createTestEnvironment,
  everythingStdio,
  type FleetProcess,
  launchChromium,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ADMIN = { email: "mcp-admin@example.com", password: "Mcp-admin-2024" };
const SECRET = "env-secret-value-42";
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOT_DIR ?? join(tmpdir(), "tw-console-screenshots");

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let browser: Browser;
let build: ConsoleBuild;
let page: Page;
const pageErrors: string[] = [];
const apiBodies: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [testEnv, browser, build] = await Promise.all([createTestEnvironment(), launchChromium(), buildConsoleWeb()]);
  fleet = await startFleetProcess({
    env: { ...testEnv.env, CONSOLE_WEB_DIR: build.dir },
    services: ["key-service", "admin-api", "mcp-proxy"],
  });
  await createConsoleClient(fleet.consoleUrl).initialize(ADMIN);
  const context = await browser.newContext({ baseURL: fleet.consoleUrl, viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("response", async (response) => {
    if (response.url().includes("/api/mcp/")) apiBodies.push(await response.text().catch(() => ""));
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
  await testEnv?.cleanup();
  build?.remove();
});

describe("MCP servers and the tool catalog in the console", () => {
  it("shows an empty MCP servers page with a way to register one", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "MCP servers" }).click();
    await page.getByRole("heading", { name: "MCP servers", level: 1 }).waitFor();
    await page.getByText("No MCP servers yet").waitFor();
  });

  it("refuses an incomplete registration with the problem next to the field", async () => {
    await page.getByRole("button", { name: "Register server" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Register an MCP server" });
    await dialog.getByLabel("Transport").selectOption("stdio");
    await dialog.getByRole("button", { name: "Register server" }).click();
    await dialog.getByText("name is required").waitFor();
    await dialog.getByText("a stdio server needs a command").waitFor();
  });

  it("registers a stdio server with a secret environment variable", async () => {
    const dialog = page.getByRole("dialog", { name: "Register an MCP server" });
    const everything = everythingStdio();
    await dialog.getByLabel("Name", { exact: true }).fill("Everything");
    await dialog.getByLabel("Prefix (optional)").fill("everything");
    await dialog.getByLabel("Command").fill(everything.command);
    await dialog.getByLabel("Arguments").fill(everything.args.join("\n"));
    await dialog.getByLabel("Secret environment").fill(`EVERYTHING_TOKEN=${SECRET}`);
    await dialog.getByRole("button", { name: "Register server" }).click();
    await dialog.waitFor({ state: "hidden" });
    const row = page.getByRole("row").filter({ hasText: "Everything" });
    await row.waitFor();
    expect(await row.textContent()).toContain("everything__…");
    expect(await row.textContent()).toContain("EVERYTHING_TOKEN");
    expect(await row.textContent()).not.toContain(SECRET);
    await page.screenshot({ path: join(SCREENSHOTS, "1280-mcp-servers.png") });
  });

  it("tests the server and lists what it offers", async () => {
    await page.getByRole("row").filter({ hasText: "Everything" }).getByRole("button", { name: "Test" }).click();
    const dialog = page.getByRole("dialog", { name: "Test Everything" });
    await dialog.getByText("connected").waitFor({ timeout: 60_000 });
    expect(await dialog.getByRole("list", { name: "Tools" }).textContent()).toContain("everything__echo");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
  });

  it("shows the tools in the catalog under their exposed names, filterable", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tool catalog" }).click();
    await page.getByRole("heading", { name: "Tool catalog", level: 1 }).waitFor();
    await page.getByRole("row").filter({ hasText: "everything__echo" }).waitFor({ timeout: 60_000 });
    await page.getByLabel("Filter").fill("get-sum");
    await page.getByRole("row").filter({ hasText: "everything__get-sum" }).waitFor();
    expect(await page.getByRole("row").filter({ hasText: "everything__echo" }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, "1280-mcp-tools.png") });
  });

  it("grants tools to a role on the catalog page, refuses a bad grant next to its field, and revokes", async () => {
    const panel = page.getByRole("region", { name: "Tool permissions", exact: true });
    await panel.getByText("No tool grants").waitFor();
    await panel.getByLabel("Tool pattern").fill("everything__echo");
    await panel.getByLabel("Grant to", { exact: true }).selectOption("role");
    await panel.getByLabel("Role name, team id or user id").fill("developer");
    await panel.getByRole("button", { name: "Grant", exact: true }).click();
    const row = panel.getByRole("row").filter({ hasText: "everything__echo" });
    await row.waitFor();
    expect(await row.textContent()).toContain("developer");
    // The form clears itself once the grant is saved.
    await waitFor(async () => (await panel.getByLabel("Tool pattern").inputValue()) === "", { what: "the cleared form" });
    // A team that does not exist: the API's message is shown.
    await panel.getByLabel("Tool pattern").fill("everything__*");
    await panel.getByLabel("Grant to", { exact: true }).selectOption("team");
    await panel.getByLabel("Role name, team id or user id").fill("00000000-0000-4000-8000-000000000000");
    await panel.getByRole("button", { name: "Grant", exact: true }).click();
    await panel.getByText("no team with id 00000000-0000-4000-8000-000000000000").waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "1280-mcp-tool-grants.png") });
    await row.getByRole("button", { name: "Revoke everything__echo from developer" }).click();
    await panel.getByText("No tool grants").waitFor();
  });

  it("disables, then deletes the server after confirmation", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "MCP servers" }).click();
    const row = page.getByRole("row").filter({ hasText: "Everything" });
    await row.getByRole("button", { name: "Disable" }).click();
    await row.getByText("disabled").waitFor();
    await row.getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete Everything?" });
    await confirm.getByRole("button", { name: "Delete server" }).click();
    await page.getByText("No MCP servers yet").waitFor();
  });

  it("never sent the secret to the browser and raised no page errors", () => {
    expect(apiBodies.length).toBeGreaterThan(3);
    expect(apiBodies.join("\n")).not.toContain(SECRET);
    expect(pageErrors).toEqual([]);
  });
});
