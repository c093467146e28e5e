/**
 * Settings changes are audited: a PATCH or PUT of a category writes one `settings.updated` record naming the
 * category, the admin who made it and the request, with the category before and after; a refused change writes none.
 */
import { waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminHarness, startAdminHarness } from "./support/admin-harness.js";
import { call, type LoggedIn, setupSuperAdmin } from "./support/console-http.js";

let h: AdminHarness;
let root: LoggedIn;

beforeAll(async () => {
  h = await startAdminHarness();
  root = await setupSuperAdmin(h.url, "root@example.com", "Settings-audit-2024");
});

afterAll(async () => {
  await h?.stop();
});

const settingsRecords = () => h.audit.filter((record) => record.action === "settings.updated");

describe("settings audit", () => {
  it("records who changed which category, with the values before and after", async () => {
    const before = (
      await call<{ auth: Record<string, unknown> }>(h.url, "GET", "/api/admin/settings/auth", { token: root.accessToken })
    ).body.auth;
    const changed = await call(h.url, "PATCH", "/api/admin/settings/auth", {
      token: root.accessToken,
      body: { lockoutThreshold: 7 },
    });
    expect(changed.status).toBe(200);
    const record = await waitFor(() => settingsRecords().find((r) => r.requestId === changed.headers.get("x-request-id")), {
      what: "the settings.updated record",
    });
    expect(record).toMatchObject({
      category: "admin",
      action: "settings.updated",
      outcome: "success",
      actor: { kind: "user", id: root.userId, name: "root@example.com" },
      target: { kind: "settings", id: "auth", name: "auth" },
      before,
      after: { ...before, lockoutThreshold: 7 },
    });
  });

  it("writes no record for a refused change", async () => {
    const seen = settingsRecords().length;
    const refused = await call(h.url, "PATCH", "/api/admin/settings/auth", {
      token: root.accessToken,
      body: { lockoutThreshold: "many" },
    });
    expect(refused.status).toBe(400);
    // A later accepted change is recorded: once it is, every record of the refused one would be there too.
    const accepted = await call(h.url, "PUT", "/api/admin/settings/auth", {
      token: root.accessToken,
      body: (await call<{ auth: Record<string, unknown> }>(h.url, "GET", "/api/admin/settings/auth", { token: root.accessToken }))
        .body.auth,
    });
    expect(accepted.status).toBe(200);
    await waitFor(() => settingsRecords().some((r) => r.requestId === accepted.headers.get("x-request-id")), {
      what: "the record of the accepted change",
    });
    expect(settingsRecords().map((r) => r.requestId)).not.toContain(refused.headers.get("x-request-id"));
    expect(settingsRecords()).toHaveLength(seen + 1);
  });
});
