import { describe, expect, it } from "vitest";
import type { SessionState } from "../sessions/session-store.js";
import { createAccessCache } from "./access-cache.js";
import type { UserAccess } from "./access-store.js";

const USER = "6f1c2a4e-0000-4000-8000-000000000001";
const SESSION = "6f1c2a4e-0000-4000-8000-0000000000aa";

function access(enabled: boolean): UserAccess {
  return { id: USER, email: "u@example.com", role: "developer", enabled, permissions: new Set(), teams: new Map() };
}

function session(revokedAt: number | null): SessionState {
  return { id: SESSION, userId: USER, ip: null, userAgent: null, createdAt: 0, lastUsedAt: 0, expiresAt: 10_000, revokedAt };
}

describe("access cache", () => {
  it("serves repeated lookups from memory and reloads after invalidation", async () => {
    let userLoads = 0;
    let state = access(true);
    const cache = createAccessCache({
      access: {
        load: async () => {
          userLoads += 1;
          return state;
        },
      },
      sessions: { find: async () => session(null) },
      clock: () => 0,
    });
    await cache.user(USER);
    await cache.user(USER);
    expect(userLoads).toBe(1);
    state = access(false);
    cache.invalidateUser(USER);
    expect((await cache.user(USER))?.enabled).toBe(false);
    expect(userLoads).toBe(2);
  });

  it("does not store a load that raced an invalidation", async () => {
    let release: () => void = () => undefined;
    let loads = 0;
    const cache = createAccessCache({
      access: {
        load: () =>
          new Promise((resolve) => {
            loads += 1;
            const value = access(loads === 1);
            if (loads === 1) release = () => resolve(value);
            else resolve(value);
          }),
      },
      sessions: { find: async () => null },
      clock: () => 0,
    });
    const stale = cache.user(USER);
    cache.invalidateUser(USER);
    release();
    expect((await stale)?.enabled).toBe(true);
    // The stale answer was not kept: the next lookup loads the current state.
    expect((await cache.user(USER))?.enabled).toBe(false);
  });

  it("drops a user's sessions on invalidation and expires entries after the TTL", async () => {
    let now = 0;
    let revoked: number | null = null;
    let finds = 0;
    const cache = createAccessCache({
      access: { load: async () => access(true) },
      sessions: {
        find: async () => {
          finds += 1;
          return session(revoked);
        },
      },
      clock: () => now,
      ttlMs: 1000,
    });
    await cache.session(SESSION);
    revoked = 5;
    expect((await cache.session(SESSION))?.revokedAt).toBeNull();
    cache.invalidateUser(USER);
    expect((await cache.session(SESSION))?.revokedAt).toBe(5);
    now = 1001;
    await cache.session(SESSION);
    expect(finds).toBe(3);
  });
});
