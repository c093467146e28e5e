/**
 * Login lockout on a fake clock: progressive per account (any address) and per client address (any account),
 * answered with 429 + Retry-After before the password is even checked, recorded as audit events; unknown emails
 * lock the same way and fail in the same time as known ones, so neither reveals which accounts exist.
 */
import { createFakeClock, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminHarness, startAdminHarness } from "./support/admin-harness.js";
import { call, createUser, setupSuperAdmin } from "./support/console-http.js";

const PASSWORD = "Lock-passw0rd";
const clock = createFakeClock();
let h: AdminHarness;
const requestId = expect.any(String);

beforeAll(async () => {
  h = await startAdminHarness({
    clock,
    settings: {
      auth: { lockoutThreshold: 3, lockoutBaseSeconds: 60, lockoutMaxSeconds: 600, ipLockoutThreshold: 5 },
      security: { trustedProxies: ["127.0.0.1"] },
    },
  });
  const root = await setupSuperAdmin(h.url, "root@example.com", PASSWORD);
  for (const email of ["alice@example.com", "bob@example.com", "carol@example.com"]) {
    await createUser(h.url, root.accessToken, { email, role: "viewer", password: PASSWORD });
  }
});

afterAll(async () => {
  await h?.stop();
});

let nextAddress = 1;
/** Each attempt from its own address unless one is given, so account and address counters stay apart. */
const attempt = (email: string, password: string, from = `198.51.100.${nextAddress++}`) =>
  call(h.url, "POST", "/api/auth/login", { body: { email, password }, forwardedFor: from });

const lockedBody = (seconds: number) => ({
  error: {
    code: "rate_limited",
    message: `too many failed logins; try again in ${seconds} seconds`,
    requestId,
    details: { retryAfterSeconds: seconds },
  },
});

describe("per account", () => {
  it("locks after the threshold, answers 429 with Retry-After, and doubles each later lock", async () => {
    for (let i = 0; i < 3; i += 1) expect((await attempt("alice@example.com", "Wrong-passw0rd")).status).toBe(401);
    const locked = await attempt("alice@example.com", PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("60");
    expect(locked.body).toEqual(lockedBody(60));

    clock.advance(30_000);
    expect((await attempt("alice@example.com", PASSWORD)).headers.get("retry-after")).toBe("30");
    clock.advance(31_000);
    expect((await attempt("alice@example.com", "Wrong-passw0rd")).status).toBe(401);
    const doubled = await attempt("alice@example.com", PASSWORD);
    expect(doubled.body).toEqual(lockedBody(120));

    clock.advance(121_000);
    expect((await attempt("alice@example.com", PASSWORD)).status).toBe(200);
    // Success clears the account's count: one more failure does not lock.
    expect((await attempt("alice@example.com", "Wrong-passw0rd")).status).toBe(401);
    expect((await attempt("alice@example.com", PASSWORD)).status).toBe(200);

    // One record per refused attempt (the first lock, the same lock 30 s later, the doubled lock); audit records may
    // arrive in any order.
    const denied = await waitFor(
      () => {
        const records = h.audit.filter((r) => r.action === "login.locked_out" && r.actor.name === "alice@example.com");
        return records.length >= 3 ? records : null;
      },
      { what: "three lockout audit records" },
    );
    for (const record of denied) {
      expect(record).toMatchObject({ category: "auth", outcome: "denied", details: { scope: "account" } });
    }
    expect(denied.map((r) => (r.details as { retryAfterSeconds: number }).retryAfterSeconds).sort((a, b) => a - b)).toEqual([
      30, 60, 120,
    ]);
    expect(h.audit.filter((r) => r.action === "login.failed" && r.actor.name === "alice@example.com").length).toBe(5);
  });

  it("caps the lock at lockoutMaxSeconds", async () => {
    for (let i = 0; i < 3; i += 1) await attempt("bob@example.com", "Wrong-passw0rd");
    for (const seconds of [120, 240, 480, 600, 600]) {
      clock.advance(601_000);
      expect((await attempt("bob@example.com", "Wrong-passw0rd")).status).toBe(401);
      expect((await attempt("bob@example.com", PASSWORD)).body).toEqual(lockedBody(seconds));
    }
    clock.advance(601_000);
  });

  it("locks an unknown email exactly like a known one", async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await attempt("nobody@example.com", "Wrong-passw0rd")).body).toEqual({
        error: { code: "unauthenticated", message: "wrong email or password", requestId },
      });
    }
    expect((await attempt("nobody@example.com", "Wrong-passw0rd")).body).toEqual(lockedBody(60));
    clock.advance(61_000);
  });
});

describe("per client address", () => {
  it("locks an address after its threshold across accounts, leaving other addresses alone", async () => {
    const from = "203.0.113.99";
    const emails = ["x1@example.com", "x2@example.com", "x3@example.com", "x4@example.com", "carol@example.com"];
    for (const email of emails) expect((await attempt(email, "Wrong-passw0rd", from)).status).toBe(401);
    const locked = await attempt("alice@example.com", PASSWORD, from);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("60");
    expect((await attempt("alice@example.com", PASSWORD, "203.0.113.100")).status).toBe(200);
    const record = await waitFor(() => h.audit.find((r) => r.action === "login.locked_out" && r.details.scope === "ip"), {
      what: "ip lock audit",
    });
    expect(record.actor.ip).toBe(from);
    clock.advance(61_000);
    expect((await attempt("alice@example.com", PASSWORD, from)).status).toBe(200);
  });
});

describe("timing", () => {
  it("takes as long for an unknown email as for a wrong password (the hash is always verified)", async () => {
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const time = async (email: string) => {
      const started = performance.now();
      const response = await attempt(email, "Wrong-passw0rd");
      clock.advance(601_000);
      expect(response.status).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      known.push(await time("carol@example.com"));
      unknown.push(await time(`ghost${i}@example.com`));
    }
    // Without the dummy hash an unknown email answers ~100× faster; the ratio of medians stays near 1 with it.
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
