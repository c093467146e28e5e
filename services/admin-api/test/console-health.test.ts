/**
 * The console's Health page and the Overview's traffic strip in Chromium, against the whole fleet in one process
 * with metrics on: known gateway traffic shows on the strip; the Health page lists the console's dependencies, every
 * service instance found over NATS, and MCP servers as the gateway last saw them (one reachable, one not).
 */

import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildConsoleWeb,
  type ConsoleBuild,
  DEFAULT_ADMIN,
  type GatewayScenario,
  launchChromium,
  type McpHttpUpstream,
  startEverythingHttp,
  startGatewayScenario,
  waitFor,
} from "@thinkwatch/testkit";
import OpenAI from "openai";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SCREENSHOTS = process.env.CONSOLE_SCREENSHOT_DIR ?? join(tmpdir(), "tw-console-screenshots");

const TOKEN = "console-health-scrape-token";
const SERVICES = ["admin-api", "ai-proxy", "audit-ingest", "forwarder", "key-service", "mcp-proxy", "quota"];

let scenario: GatewayScenario;
let browser: Browser;
let build: ConsoleBuild;
let everything: McpHttpUpstream;
let page: Page;
let sent = 0;
let failed = 0;
const pageErrors: string[] = [];

beforeAll(async () => {
  [browser, build, everything] = await Promise.all([launchChromium(), buildConsoleWeb(), startEverythingHttp()]);
  scenario = await startGatewayScenario({
    fakes: ["openai"],
    env: { METRICS_BEARER_TOKEN: TOKEN, CONSOLE_WEB_DIR: build.dir },
  });
  await scenario.addProvider("openai", { models: [{ model: "team-chat", upstreamModel: "gpt-4o-mini" }] });
  const key = await scenario.createKey({ name: "health" });
  const openai = new OpenAI({ apiKey: key, baseURL: `${scenario.fleet.gatewayUrl}/v1`, maxRetries: 0 });
  await waitFor(async () => (await openai.models.list()).data.some((m) => m.id === "team-chat"), { what: "routing" });
  for (let i = 0; i < 5; i += 1) {
    await openai.chat.completions.create({ model: "team-chat", messages: [{ role: "user", content: `hello ${i}` }] });
    sent += 1;
  }
  await openai.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] }).catch(() => {
    failed += 1;
  });
  sent += 1;

  // Two MCP servers, each tested once through mcp-proxy: the gateway's last connection to each is their health.
  for (const [name, url] of [
    ["everything", everything.url],
    ["gone", "http://127.0.0.1:9/mcp"],
  ] as const) {
    const created = await scenario.admin.call<{ server: { id: string } }>("POST", "/api/mcp/servers", {
      name,
      transport: "streamable_http",
      url,
    });
    if (created.status !== 201) throw new Error(`register ${name}: ${created.status} ${JSON.stringify(created.body)}`);
    await scenario.admin.call("POST", `/api/mcp/servers/${created.body.server.id}/test`);
  }

  const context = await browser.newContext({ baseURL: scenario.fleet.consoleUrl, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(DEFAULT_ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(DEFAULT_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await scenario?.close();
  await everything?.stop();
  build?.remove();
});

describe("console health", () => {
  it("shows the gateway's last minute on the Overview strip", async () => {
    // The routing check before the traffic also went through the gateway; the metrics hold the exact total.
    const scraped = await (
      await fetch(`${scenario.fleet.gatewayUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    const total = scraped
      .split("\n")
      .filter((line) => line.startsWith("gateway_requests_total{"))
      .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
    expect(total).toBeGreaterThanOrEqual(sent);
    const strip = page.locator("[data-stat]");
    await waitFor(async () => (await page.locator('[data-stat="requests"]').textContent()) === String(total), {
      what: "the strip to show the request count",
    });
    expect(await strip.count()).toBe(3);
    const errors = await page.locator('[data-stat="errors"]').textContent();
    expect(errors).toMatch(/^\d+(\.\d)? %$/);
    expect(failed).toBe(1);
    expect(errors).not.toBe("0 %");
    expect(await page.locator('[data-stat="p99"]').textContent()).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "1280-overview-traffic.png") });
  });

  it("lists dependencies, every service instance and the MCP servers' health on the Health page", async () => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Health" }).click();
    await page.getByRole("heading", { name: "Health", level: 1 }).waitFor();
    await page.getByText("All systems ready").waitFor();

    const dependencies = page.getByRole("table", { name: "Dependencies" });
    for (const name of ["nats", "postgres", "redis", "clickhouse"]) {
      await expect(
        dependencies.getByRole("row").filter({ hasText: name }).getByText("up", { exact: true }).count(),
      ).resolves.toBe(1);
    }

    const instances = page.getByRole("table", { name: "Service instances" });
    const rows = instances.getByRole("row");
    await waitFor(async () => (await rows.count()) === SERVICES.length + 1, { what: "one row per service instance" });
    const services = await rows.evaluateAll((all) =>
      all.slice(1).map((row) => row.querySelector("td")?.textContent?.trim() ?? ""),
    );
    expect(services).toEqual(SERVICES);
    expect(await instances.getByText("ready", { exact: true }).count()).toBe(SERVICES.length);
    await expect(rows.filter({ hasText: "quota" }).locator(".badge").allTextContents()).resolves.toEqual([
      "ready",
      expect.stringMatching(/^nats /),
      expect.stringMatching(/^postgres /),
      expect.stringMatching(/^redis /),
    ]);

    const mcp = page.getByRole("table", { name: "MCP servers" });
    await mcp.getByRole("row").filter({ hasText: "everything" }).getByText("healthy", { exact: true }).waitFor();
    await mcp.getByRole("row").filter({ hasText: "gone" }).getByText("unreachable", { exact: true }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "1280-health.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
