/**
 * The API Keys page in a real browser against a real fleet: rotate (the new key shown once, copied with the copy
 * button, both keys working during the grace period, one lineage), edit scope, expiry and strict conversion, force-revoke the key in
 * grace, revoke, delete, last used — each step checked at the gateway or through the API, not only on the page.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  type ConsoleClient,
  createConsoleClient,
  createTestEnvironment,
  DEFAULT_ADMIN,
  type FakeUpstream,
  type FleetProcess,
  launchChromium,
  REPO_ROOT,
  startFakeUpstream,
  startFleetProcess,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MODEL = "gpt-4o-mini";
const KEY_NAME = "alice-laptop";

let testEnv: TestEnvironment;
let upstream: FakeUpstream;
let fleet: FleetProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let api: ConsoleClient;
const pageErrors: string[] = [];
const distDir = mkdtempSync(join(tmpdir(), "tw-console-keys-"));

beforeAll(async () => {
  [testEnv, upstream, browser] = await Promise.all([
    createTestEnvironment(),
    startFakeUpstream("openai"),
    launchChromium(),
    promisify(execFile)("npm", ["run", "build", "-w", "console-web", "--", "--outDir", distDir, "--emptyOutDir"], {
      cwd: REPO_ROOT,
    }),
  ]);
  fleet = await startFleetProcess({
    env: { ...testEnv.env, CONSOLE_WEB_DIR: distDir },
    services: ["key-service", "quota", "admin-api", "ai-proxy"],
  });
  api = createConsoleClient(fleet.consoleUrl);
  await api.initialize();
  const provider = await api.call("POST", "/api/admin/providers", {
    name: "openai",
    kind: "openai",
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
    settings: {},
  });
  expect(provider.status).toBe(201);
  context = await browser.newContext({ baseURL: fleet.consoleUrl });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: fleet.consoleUrl });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await upstream?.close();
  await testEnv?.cleanup();
  rmSync(distDir, { recursive: true, force: true });
});

function chat(key: string): Promise<number> {
  return fetch(`${fleet.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] }),
  }).then((response) => response.status);
}

interface ListedKey {
  id: string;
  name: string;
  prefix: string;
  status: string;
  lineageId: string;
  allowedModels: string[] | null;
  expiresAt: number | null;
  lastUsedAt: number | null;
}

async function listed(): Promise<ListedKey[]> {
  return (await api.call<{ keys: ListedKey[] }>("GET", "/api/keys?includeDeleted=true")).body.keys;
}

/** The table row of the key with this prefix. */
const rowOf = (prefix: string) => page.getByRole("row").filter({ hasText: `${prefix}…` });

describe("the API Keys page", () => {
  let original: string;
  let originalPrefix: string;
  let successor: string;
  let successorPrefix: string;

  it("lists a key by prefix with last use and lineage", async () => {
    const created = await api.call<{ plaintext: string; key: ListedKey }>("POST", "/api/keys", { name: KEY_NAME });
    original = created.body.plaintext;
    originalPrefix = created.body.key.prefix;
    await waitFor(async () => (await chat(original)) === 200, { what: "the key to work on the gateway" });

    await page.goto("/login");
    await page.getByLabel("Email", { exact: true }).fill(DEFAULT_ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill(DEFAULT_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/keys");
    await page.getByRole("heading", { name: "API Keys", level: 1 }).waitFor();
    // Use reaches last_used_at in the edge's next batched report; the page shows it after a reload.
    await waitFor(
      async () => {
        await page.reload();
        await rowOf(originalPrefix).waitFor();
        const cells = await rowOf(originalPrefix).getByRole("cell").allTextContents();
        return cells[4] !== undefined && cells[4] !== "never" && cells[4] !== "";
      },
      { what: "last used to show", intervalMs: 500, timeoutMs: 30_000 },
    );
    const cells = await rowOf(originalPrefix).getByRole("cell").allTextContents();
    expect(cells[0]).toBe(KEY_NAME);
    expect(cells[5]).toBe(created.body.key.lineageId.slice(0, 8));
    expect(cells[8]).toBe("active");
  });

  it("rotates a key: the new key is shown once with a working copy button, and both keys work during grace", async () => {
    await rowOf(originalPrefix)
      .getByRole("button", { name: /^Rotate/ })
      .click();
    const dialog = page.getByRole("dialog", { name: "Rotate API key" });
    await dialog.getByLabel("Grace period for the old key (hours)").fill("2");
    await dialog.getByRole("button", { name: "Rotate key" }).click();
    successor = ((await dialog.getByText(/^tw-[0-9A-Za-z]{40}$/).textContent()) ?? "").trim();
    expect(successor).toMatch(/^tw-[0-9A-Za-z]{40}$/);
    expect(successor).not.toBe(original);
    await dialog.getByText(/keeps working until/).waitFor();
    await dialog.getByRole("button", { name: "Copy" }).first().click();
    // The page's clipboard, read in the page (the test's own tsconfig has no DOM types, hence the string).
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(successor);
    await dialog.getByRole("button", { name: "I have copied the new key" }).click();

    expect(await chat(original)).toBe(200);
    expect(await waitFor(async () => ((await chat(successor)) === 200 ? 200 : null), { what: "the new key" })).toBe(200);
    const keys = await listed();
    const old = keys.find((k) => k.prefix === originalPrefix);
    const next = keys.find((k) => successor.startsWith(k.prefix) && k.id !== old?.id);
    expect(old?.status).toBe("grace");
    expect(next?.lineageId).toBe(old?.lineageId);
    successorPrefix = next?.prefix as string;
    await rowOf(originalPrefix)
      .getByText(/^rotated, works until /)
      .waitFor();
    await rowOf(successorPrefix).getByText("active", { exact: true }).waitFor();
    expect(await page.content()).not.toContain(successor);
  });

  it("edits the scope and expiry of the new key", async () => {
    await rowOf(successorPrefix).getByRole("button", { name: /^Edit/ }).click();
    const dialog = page.getByRole("dialog", { name: `Edit “${KEY_NAME}”` });
    await dialog.getByLabel("Allowed models").fill("gpt-4o*, claude-*");
    await dialog.getByLabel("Allowed MCP tools").fill("github__*");
    await dialog.getByLabel("Expires on (UTC)").fill("2099-12-31");
    await dialog.getByLabel("Strict conversion").check();
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await dialog.waitFor({ state: "hidden" });
    await rowOf(successorPrefix).getByText("gpt-4o*, claude-*").waitFor();
    await rowOf(successorPrefix).getByText("tools: github__*").waitFor();
    await rowOf(successorPrefix).getByText("strict conversion").waitFor();
    const edited = (await listed()).find((k) => k.prefix === successorPrefix);
    expect(edited).toMatchObject({
      allowedModels: ["gpt-4o*", "claude-*"],
      expiresAt: Date.parse("2099-12-31T23:59:59.999Z"),
      strictConversion: true,
    });
    // The pattern is enforced at the gateway once the change reached it.
    await waitFor(async () => (await chat(successor)) === 200, { what: "gpt-4o-mini allowed by gpt-4o*" });
  });

  it("force-revokes the old key still in grace, and the gateway refuses it", async () => {
    await rowOf(originalPrefix)
      .getByRole("button", { name: /^Force revoke/ })
      .click();
    const dialog = page.getByRole("dialog", { name: "Force-revoke API key" });
    await dialog.getByRole("button", { name: "Force-revoke key" }).click();
    await rowOf(originalPrefix)
      .getByText(/^revoked /)
      .waitFor();
    await waitFor(async () => (await chat(original)) === 401, { what: "the gateway to refuse the old key", timeoutMs: 2000 });
    expect(await chat(successor)).toBe(200);
  });

  it("revokes the new key, then deletes it", async () => {
    await rowOf(successorPrefix)
      .getByRole("button", { name: /^Revoke/ })
      .click();
    const revokeDialog = page.getByRole("dialog", { name: "Revoke API key" });
    await revokeDialog.getByRole("button", { name: "Revoke key" }).click();
    await rowOf(successorPrefix)
      .getByText(/^revoked /)
      .waitFor();
    await waitFor(async () => (await chat(successor)) === 401, { what: "the gateway to refuse the new key", timeoutMs: 2000 });

    await rowOf(successorPrefix)
      .getByRole("button", { name: /^Delete/ })
      .click();
    const deleteDialog = page.getByRole("dialog", { name: "Delete API key" });
    await deleteDialog.getByRole("button", { name: "Delete key" }).click();
    await rowOf(successorPrefix).waitFor({ state: "detached" });
    expect((await listed()).find((k) => k.prefix === successorPrefix)?.status).toBe("deleted");
    expect(pageErrors).toEqual([]);
  });
});
