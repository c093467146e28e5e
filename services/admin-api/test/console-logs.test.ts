/**
 * The Log Explorer and Log Forwarders pages in a real browser (headless Chromium on the built SPA, the real
 * admin-api, audit-ingest, forwarder, ClickHouse and a real rsyslog): an admin creates a syslog forwarder from the
 * form, presses Test and sees the delivery confirmed (and rsyslog has it), then finds that admin change in the
 * Log Explorer with a structured query and opens the row's details; a bad query shows the API's 400 message.
 */
import {
  buildConsoleWeb,
  type ConsoleBuild,
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  launchChromium,
  type RsyslogReceiver,
  startFleetProcess,
  startRsyslog,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ADMIN = { email: "logs-admin@example.com", password: "Logs-admin-2024" };

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let browser: Browser;
let build: ConsoleBuild;
let rsyslog: RsyslogReceiver;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [testEnv, browser, build, rsyslog] = await Promise.all([
    createTestEnvironment({ clickhouse: true }),
    launchChromium(),
    buildConsoleWeb(),
    startRsyslog(),
  ]);
  fleet = await startFleetProcess({
    env: { ...testEnv.env, CONSOLE_WEB_DIR: build.dir },
    services: ["key-service", "admin-api", "audit-ingest", "forwarder"],
  });
  await createConsoleClient(fleet.consoleUrl).initialize(ADMIN);
  const context = await browser.newContext({ baseURL: fleet.consoleUrl, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await rsyslog?.close();
  await testEnv?.cleanup();
  build?.remove();
});

describe("log pages", () => {
  it("creates a syslog forwarder, tests it and shows its stats", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log Forwarders" }).click();
    await page.getByRole("heading", { name: "Log Forwarders", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New forwarder" }).click();
    const form = page.getByRole("form", { name: "New log forwarder" });
    await form.getByLabel("Name").fill("rsyslog-test");
    await form.getByLabel("Kind").selectOption("syslog");
    await form.getByLabel("Host").fill("127.0.0.1");
    await form.getByLabel("Port").fill(String(rsyslog.tcpPort));
    await form.getByLabel("Protocol").selectOption("tcp");
    await form.getByRole("button", { name: "Create forwarder" }).click();
    const row = page.getByRole("row", { name: /rsyslog-test/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(`tcp://127.0.0.1:${rsyslog.tcpPort}`);

    await row.getByRole("button", { name: "Test" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/^Test event delivered in \d+ ms$/);
    await waitFor(() => rsyslog.received().some((m) => m.msgid === "log_forwarder.tested"), { what: "the test at rsyslog" });
    await page.keyboard.press("Escape");

    await row.getByRole("button", { name: "Stats" }).click();
    const stats = page.getByRole("definition");
    await stats.first().waitFor();
    expect(await page.getByLabel("Delivery stats").textContent()).toMatch(/^Sent\d+Failed0Dead-lettered0Lag\d+$/);
    await page.keyboard.press("Escape");
  }, 60_000);

  it("finds the admin change in the Log Explorer with a structured query and shows its fields", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log Explorer" }).click();
    await page.getByRole("heading", { name: "Log Explorer", level: 1 }).waitFor();
    await page.getByLabel("Source").selectOption("audit");
    await page.getByLabel("Query").fill('action:log_forwarder.created "rsyslog"');
    await expect
      .poll(
        async () => {
          await page.getByRole("button", { name: "Search" }).click();
          return page.getByRole("row", { name: /log_forwarder\.created success/ }).count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await page
      .getByRole("row", { name: /log_forwarder\.created success/ })
      .getByRole("button", { name: "Details" })
      .click();
    const fields = await page.getByLabel("Row fields").textContent();
    expect(JSON.parse(fields ?? "{}")).toMatchObject({
      action: "log_forwarder.created",
      target_name: "rsyslog-test",
      outcome: "success",
    });
    await page.keyboard.press("Escape");

    await page.getByLabel("Query").fill("nosuchfield:1");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("unknown field 'nosuchfield' for audit logs");
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
