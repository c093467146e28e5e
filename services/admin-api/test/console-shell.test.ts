/**
 * The console's app shell in a real browser (headless Chromium on the built SPA, real admin-api and key-service):
 * the sidebar shows each role only the pages its permissions open, the active page is marked, keyboard users can
 * skip to the content and close menus and dialogs with Escape, and below 960 px the sidebar is a drawer behind a
 * menu button. Screenshots at 1280 px and 400 px go to $CONSOLE_SCREENSHOT_DIR (default: a temp folder) for review.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, tables } from "@thinkwatch/db";
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
} from "@thinkwatch/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/passwords.js";

const ADMIN = { email: "root@example.com", password: "Shell-admin-2024" };
const PROVIDER_NAME = "openai-prod";
const VIEWER = { email: "vera@example.com", displayName: "Vera Viewer", password: "Shell-viewer-2024" };
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOT_DIR ?? join(tmpdir(), "tw-console-screenshots");

/**
 * The sidebar each role must see, section by section (null: an unlabeled section). A page added to
 * console-web/src/shell/nav-items.ts adds its label here for the roles holding its permission.
 */
const EXPECTED_NAV = {
  super_admin: [
    [null, ["Overview", "Health"]],
    ["Gateway", ["Providers & Models", "Models", "API Keys", "Limits"]],
    ["MCP", ["MCP servers", "Tool catalog"]],
    ["Logs", ["Log Explorer", "Log Forwarders"]],
    ["Administration", ["Users", "Teams", "Roles", "Settings"]],
    [null, ["Profile"]],
  ],
  viewer: [
    [null, ["Overview", "Health"]],
    ["Gateway", ["Providers & Models", "Models", "API Keys"]],
    ["MCP", ["MCP servers", "Tool catalog"]],
    ["Logs", ["Log Explorer"]],
    [null, ["Profile"]],
  ],
} as const;

let testEnv: TestEnvironment;
let fleet: FleetProcess;
let browser: Browser;
let build: ConsoleBuild;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [testEnv, browser, build] = await Promise.all([createTestEnvironment(), launchChromium(), buildConsoleWeb()]);
  fleet = await startFleetProcess({
    env: { ...testEnv.env, CONSOLE_WEB_DIR: build.dir },
    services: ["key-service", "admin-api"],
  });
  const admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize(ADMIN);
  await seedAdminData(admin);
  // No users API exists yet, so the viewer goes straight into admin-api's table, as an admin would create one.
  const database = createDb({ url: testEnv.env.DATABASE_URL ?? "" });
  try {
    await database.db.insert(tables.users).values({
      email: VIEWER.email,
      displayName: VIEWER.displayName,
      passwordHash: await hashPassword(VIEWER.password),
      role: "viewer",
    });
  } finally {
    await database.close();
  }
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await fleet?.stop();
  await testEnv?.cleanup();
  build?.remove();
});

/** A provider and three keys of the super admin (one revoked), so the pages show real tables. */
async function seedAdminData(admin: ConsoleClient): Promise<void> {
  const expect201 = (what: string, response: { status: number; body: unknown }) => {
    if (response.status !== 201) throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  expect201(
    "create provider",
    await admin.call("POST", "/api/admin/providers", {
      name: PROVIDER_NAME,
      kind: "openai",
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: "sk-test",
      models: [{ model: "gpt-4o-mini" }, { model: "fast", upstreamModel: "gpt-4o-mini" }],
    }),
  );
  expect201(
    "create key",
    await admin.call("POST", "/api/keys", { name: "ci-pipeline", allowedModels: ["gpt-4o-mini"], expiresInDays: 90 }),
  );
  expect201("create key", await admin.call("POST", "/api/keys", { name: "alice-laptop" }));
  const old = expect201("create key", await admin.call("POST", "/api/keys", { name: "old-laptop" })) as { key: { id: string } };
  const revoked = await admin.call("POST", `/api/keys/${old.key.id}/revoke`);
  if (revoked.status !== 200) throw new Error(`revoke: HTTP ${revoked.status}`);
}

/** A fresh tab (own sessionStorage) at the given window size, signed in through the login page. */
async function signedInPage(email: string, password: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: fleet.consoleUrl, viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto("/login");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await screenshot(page, `${viewport.width}-login`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
  return page;
}

/** The sidebar as the user sees it: each section's label (null when it has none) and its link names. */
function readNav(page: Page) {
  return page
    .getByRole("navigation", { name: "Main" })
    .evaluate((nav) =>
      [...nav.querySelectorAll(".nav-section")].map((section) => [
        section.querySelector(".nav-section-label")?.textContent ?? null,
        [...section.querySelectorAll("a")].map((link) => link.textContent?.trim() ?? ""),
      ]),
    );
}

function focusedDescription(page: Page) {
  return page.locator("body").evaluate((body) => {
    const active = body.ownerDocument.activeElement;
    return { tag: active?.tagName.toLowerCase(), id: active?.id, text: active?.textContent?.trim().slice(0, 40) };
  });
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

describe("console shell at 1280 px (super admin)", () => {
  let page: Page;

  beforeAll(async () => {
    page = await signedInPage(ADMIN.email, ADMIN.password, { width: 1280, height: 800 });
  });

  it("shows the super admin's sidebar sections and pages, with the current page marked", async () => {
    expect(await readNav(page)).toEqual(EXPECTED_NAV.super_admin);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBe("page");
    // Wide windows show the sidebar itself, not the menu button.
    expect(await page.getByRole("button", { name: "Open navigation" }).isVisible()).toBe(false);
    expect(await nav.isVisible()).toBe(true);
    await screenshot(page, "1280-overview");

    await nav.getByRole("link", { name: "Providers & Models" }).click();
    await page.getByRole("heading", { name: "Providers & Models", level: 1 }).waitFor();
    expect(await nav.getByRole("link", { name: "Providers & Models" }).getAttribute("aria-current")).toBe("page");
    expect(await nav.getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBeNull();
    await page.getByRole("row").filter({ hasText: PROVIDER_NAME }).waitFor();
    expect(await page.title()).toBe("Providers & Models · ThinkWatch");
    expect(await page.getByRole("banner").textContent()).toContain("Gateway/Providers & Models");
    await screenshot(page, "1280-providers");
  });

  it("moves keyboard focus from the skip link to the main content", async () => {
    await page.goto("/keys");
    await page.getByRole("heading", { name: "API Keys", level: 1 }).waitFor();
    await page.getByRole("row").filter({ hasText: "ci-pipeline" }).waitFor();
    await screenshot(page, "1280-keys");
    await page.keyboard.press("Tab");
    expect(await focusedDescription(page)).toEqual({ tag: "a", id: "", text: "Skip to main content" });
    expect(await page.getByRole("link", { name: "Skip to main content" }).isVisible()).toBe(true);
    await page.keyboard.press("Enter");
    expect(await focusedDescription(page)).toMatchObject({ tag: "main", id: "main" });
    // The next Tab continues inside the page, at its first control.
    await page.keyboard.press("Tab");
    expect(await focusedDescription(page)).toEqual({ tag: "button", id: "", text: "Create key" });
  });

  it("opens a dialog with focus inside, keeps Tab inside it, and closes it with Escape back to its button", async () => {
    await page.getByRole("button", { name: "Create key" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    await dialog.waitFor();
    // Focus starts on the form's first field, not on the close button.
    expect(
      await dialog.getByLabel("Name", { exact: true }).evaluate((input) => input === input.ownerDocument.activeElement),
    ).toBe(true);
    await screenshot(page, "1280-create-key-dialog");
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      expect(await dialog.evaluate((element) => element.contains(element.ownerDocument.activeElement))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focusedDescription(page)).toEqual({ tag: "button", id: "", text: "Create key" });
  });

  it("shows client-side field errors in the dialog without a request", async () => {
    await page.getByRole("button", { name: "Create key" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByLabel("AI gateway (/v1 model APIs)").uncheck();
    await dialog.getByLabel("MCP gateway (/mcp tools)").uncheck();
    await dialog.getByRole("button", { name: "Create key" }).click();
    await dialog.getByText("Please correct the highlighted fields.").waitFor();
    await dialog.getByText("name is required").waitFor();
    await dialog.getByText("choose at least one gateway").waitFor();
    expect(await dialog.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.getByRole("row").count()).toBe(4);
  });

  it("opens the user menu, closes it with Escape, and sends unknown paths to the overview", async () => {
    const menuButton = page.getByRole("banner").getByRole("button", { name: "Admin" });
    await menuButton.click();
    expect(await menuButton.getAttribute("aria-expanded")).toBe("true");
    await page.getByText(ADMIN.email).waitFor();
    await screenshot(page, "1280-user-menu");
    await page.keyboard.press("Escape");
    expect(await menuButton.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);

    await page.goto("/no-such-page");
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
  });
});

describe("console shell at 400 px (super admin)", () => {
  let page: Page;

  beforeAll(async () => {
    page = await signedInPage(ADMIN.email, ADMIN.password, { width: 400, height: 820 });
  });

  it("hides the sidebar behind the menu button", async () => {
    const menuButton = page.getByRole("button", { name: "Open navigation" });
    expect(await menuButton.isVisible()).toBe(true);
    expect(await menuButton.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
    // Nothing in the hidden drawer takes keyboard focus.
    expect(await page.getByRole("link", { name: "API Keys" }).count()).toBe(0);
    await screenshot(page, "400-overview");
  });

  it("opens the drawer with focus inside, and Escape closes it back to the menu button", async () => {
    const menuButton = page.getByRole("button", { name: "Open navigation" });
    await menuButton.click();
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.waitFor({ state: "visible" });
    expect(await menuButton.getAttribute("aria-expanded")).toBe("true");
    expect(await readNav(page)).toEqual(EXPECTED_NAV.super_admin);
    expect(await page.locator("#sidebar").evaluate((sidebar) => sidebar.contains(sidebar.ownerDocument.activeElement))).toBe(
      true,
    );
    await screenshot(page, "400-drawer-open");
    await page.keyboard.press("Escape");
    await nav.waitFor({ state: "hidden" });
    expect(await focusedDescription(page)).toMatchObject({ tag: "button" });
    expect(await menuButton.evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);
  });

  it("closes the drawer after following a link", async () => {
    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API Keys" }).click();
    await page.waitForURL((url) => url.pathname === "/keys");
    await page.getByRole("heading", { name: "API Keys", level: 1 }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).waitFor({ state: "hidden" });
    // The table scrolls sideways inside its card; the page itself does not get wider than the window.
    await page.getByRole("row").filter({ hasText: "alice-laptop" }).waitFor();
    const widths = await page.locator(".table-wrap").evaluate((wrap) => ({
      table: wrap.scrollWidth,
      wrap: wrap.clientWidth,
      page: wrap.ownerDocument.documentElement.scrollWidth,
    }));
    expect(widths.table).toBeGreaterThan(widths.wrap);
    expect(widths.page).toBe(400);
    await screenshot(page, "400-keys");
  });
});

describe("console shell for a viewer", () => {
  let page: Page;

  beforeAll(async () => {
    page = await signedInPage(VIEWER.email, VIEWER.password, { width: 1280, height: 800 });
  });

  it("shows the viewer's pages and role, without the actions a viewer may not take", async () => {
    expect(await readNav(page)).toEqual(EXPECTED_NAV.viewer);
    await page.getByRole("banner").getByText("viewer", { exact: true }).waitFor();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API Keys" }).click();
    await page.getByText("No API keys yet").waitFor();
    expect(await page.getByRole("button", { name: "Create key" }).count()).toBe(0);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Providers & Models" }).click();
    await page.getByRole("row").filter({ hasText: PROVIDER_NAME }).waitFor();
    expect(await page.getByRole("button", { name: "Add provider" }).count()).toBe(0);
  });
});

describe("the page itself", () => {
  it("threw no uncaught errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
