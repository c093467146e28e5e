import { describe, expect, it } from "vitest";
import { type LockManagerLike, REFRESH_LOCK_NAME, withRefreshLock } from "./refresh-lock";

/** An in-page lock manager with Web Locks' exclusive-mode semantics (the real one is exercised in Chromium). */
function exclusiveLocks(): LockManagerLike & { names: string[] } {
  const tails = new Map<string, Promise<unknown>>();
  const names: string[] = [];
  return {
    names,
    request(name, callback) {
      names.push(name);
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(callback, callback);
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}

describe("withRefreshLock", () => {
  it("runs one refresh at a time under the shared lock name", async () => {
    const locks = exclusiveLocks();
    const events: string[] = [];
    const refresh = (tab: string) => async () => {
      events.push(`${tab} start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`${tab} end`);
      return tab;
    };
    const results = await Promise.all([withRefreshLock(refresh("a"), locks), withRefreshLock(refresh("b"), locks)]);
    expect(results).toEqual(["a", "b"]);
    expect(events).toEqual(["a start", "a end", "b start", "b end"]);
    expect(locks.names).toEqual([REFRESH_LOCK_NAME, REFRESH_LOCK_NAME]);
  });

  it("lets the next tab refresh after one failed, and passes the failure on", async () => {
    const locks = exclusiveLocks();
    const failed = withRefreshLock(() => Promise.reject(new Error("session ended")), locks);
    const next = withRefreshLock(async () => "ok", locks);
    await expect(failed).rejects.toThrow("session ended");
    await expect(next).resolves.toBe("ok");
  });

  it("runs the refresh directly where Web Locks are missing", async () => {
    await expect(withRefreshLock(async () => "direct", undefined)).resolves.toBe("direct");
  });
});
