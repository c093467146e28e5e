/**
 * The identity pages in real Chromium against a real admin-api: an admin invites a user from the Users page, the
 * user sets their password through the invitation link, the admin deactivates and reactivates them, builds a team
 * with a manager, defines a custom role, and manages their own password and sessions on the Profile page.
 */
import { buildConsoleWeb, type ConsoleBuild, launchChromium } from "@thinkwatch/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminHarness, startAdminHarness } from "./support/admin-harness.js";
import { call, setupSuperAdmin } from "./support/console-http.js";

const ADMIN = { email: "olga@example.com", password: "Console-pass-2024" };
const INVITEE = { email: "ines@example.com", password: "Invitee-pass-2024" };
let h: AdminHarness;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
let build: ConsoleBuild;

beforeAll(async () => {
  [browser, build] = await Promise.all([launchChromium(), buildConsoleWeb()]);
  h = await startAdminHarness({ consoleWebDir: build.dir });
  await setupSuperAdmin(h.url, ADMIN.email, ADMIN.password);
  page = await browser.newPage({ baseURL: h.url });
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  build?.remove();
});

const nav = () => page.getByRole("navigation", { name: "Main" });
const row = (text: string) => page.getByRole("row").filter({ hasText: text });

describe("identity pages in a real browser", () => {
  let inviteUrl: string;

  it("signs in and shows the administration pages to a super admin", async () => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    for (const label of ["Users", "Teams", "Roles", "Profile"]) await nav().getByRole("link", { name: label }).waitFor();
  });

  it("invites a user from the Users page and shows the invitation link once", async () => {
    await nav().getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Create user" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create a user" });
    await dialog.getByLabel("Email").fill(INVITEE.email);
    await dialog.getByLabel("Display name (optional)").fill("Ines Invitee");
    await dialog.getByLabel("Role").selectOption("developer");
    await dialog.getByRole("button", { name: "Create user" }).click();
    const invite = page.getByRole("dialog", { name: "Invitation link" });
    inviteUrl = (await invite.locator("pre").textContent()) ?? "";
    expect(inviteUrl).toMatch(new RegExp(`^${h.url}/invite#token=[A-Za-z0-9_-]{43}$`));
    await invite.getByRole("button", { name: "Done" }).click();
    await row(INVITEE.email).getByText("invited").waitFor();
  });

  it("lets the invited user set a password through the link", async () => {
    const other = await browser.newPage();
    try {
      await other.goto(inviteUrl);
      await other.getByLabel("New password").fill("weak");
      await other.getByRole("button", { name: "Set password" }).click();
      await other.getByText("password must be at least 8 characters").waitFor();
      await other.getByLabel("New password").fill(INVITEE.password);
      await other.getByRole("button", { name: "Set password" }).click();
      await other.getByRole("heading", { name: "Password set" }).waitFor();
    } finally {
      await other.close();
    }
    const login = await call(h.url, "POST", "/api/auth/login", { body: INVITEE });
    expect(login.status).toBe(200);
  });

  it("deactivates and reactivates the user", async () => {
    await page.reload();
    await row(INVITEE.email).getByText("active", { exact: true }).waitFor();
    await row(INVITEE.email).getByRole("button", { name: "Deactivate" }).click();
    await row(INVITEE.email).getByText("deactivated").waitFor();
    const admin = (await call<{ accessToken: string }>(h.url, "POST", "/api/auth/login", { body: ADMIN })).body.accessToken;
    const listed = await call<{ users: Array<{ email: string; active: boolean }> }>(
      h.url,
      "GET",
      "/api/admin/users?search=ines",
      { token: admin },
    );
    expect(listed.body.users).toEqual([expect.objectContaining({ email: INVITEE.email, active: false })]);
    expect((await call(h.url, "POST", "/api/auth/login", { body: INVITEE })).status).toBe(401);
    await row(INVITEE.email).getByRole("button", { name: "Reactivate" }).click();
    await row(INVITEE.email).getByText("active", { exact: true }).waitFor();
    expect((await call(h.url, "POST", "/api/auth/login", { body: INVITEE })).status).toBe(200);
  });

  it("creates a team and makes the user its manager", async () => {
    await nav().getByRole("link", { name: "Teams" }).click();
    await page.getByRole("button", { name: "Create team" }).first().click();
    const create = page.getByRole("dialog", { name: "Create a team" });
    await create.getByLabel("Name").fill("Platform");
    await create.getByRole("button", { name: "Create team" }).click();
    await row("Platform").getByRole("button", { name: "Members" }).click();
    const members = page.getByRole("dialog", { name: "Members of Platform" });
    await members.getByLabel("Add by email").fill(INVITEE.email);
    await members.getByLabel("Team role").selectOption("manager");
    await members.getByRole("button", { name: "Add member" }).click();
    await members.getByRole("row").filter({ hasText: INVITEE.email }).getByText("manager", { exact: true }).waitFor();
    await members.getByRole("button", { name: "Close" }).click();
    await row("Platform").getByRole("cell", { name: "1", exact: true }).waitFor();
  });

  it("defines a custom role from the permission vocabulary", async () => {
    await nav().getByRole("link", { name: "Roles" }).click();
    await row("Team Manager").getByText("built-in").waitFor();
    await page.getByRole("button", { name: "Create role" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create a role" });
    await dialog.getByLabel("Name").fill("Auditor");
    await dialog.getByRole("button", { name: "Create role" }).click();
    await dialog.getByText("choose at least one permission").waitFor();
    await dialog.getByLabel("logs:read_all").check();
    await dialog.getByLabel("analytics:read_all").check();
    await dialog.getByRole("button", { name: "Create role" }).click();
    await row("Auditor").getByText("custom").waitFor();
    const roles = await call<{ roles: Array<{ name: string; permissions: string[] }> }>(h.url, "GET", "/api/admin/roles", {
      token: (await call<{ accessToken: string }>(h.url, "POST", "/api/auth/login", { body: ADMIN })).body.accessToken,
    });
    expect(roles.body.roles.find((r) => r.name === "Auditor")?.permissions.sort()).toEqual([
      "analytics:read_all",
      "logs:read_all",
    ]);
  });

  it("shows the own sessions and changes the password on the Profile page", async () => {
    await nav().getByRole("link", { name: "Profile" }).click();
    await page.getByText("this session").waitFor();
    await page.getByLabel("Current password").fill("Wrong-pass-2024");
    await page.getByLabel("New password").fill("Changed-pass-2024");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("the current password is wrong").waitFor();
    await page.getByLabel("Current password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText(/Password changed\. \d+ other sessions? signed out\./).waitFor();
    expect(
      (await call(h.url, "POST", "/api/auth/login", { body: { email: ADMIN.email, password: "Changed-pass-2024" } })).status,
    ).toBe(200);
  });

  it("ends the session on the server when the user signs out", async () => {
    const token = await page.evaluate<string>(
      `JSON.parse(window.sessionStorage.getItem("thinkwatch.session") ?? "{}").accessToken`,
    );
    expect((await call(h.url, "GET", "/api/auth/me", { token })).status).toBe(200);
    await page.locator(".user-menu-button").click();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await expect.poll(async () => (await call(h.url, "GET", "/api/auth/me", { token })).status).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
