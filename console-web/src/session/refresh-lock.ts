/**
 * Serializes session refreshes across the tabs of this origin. Every tab holds its own access token but they share
 * one single-use refresh cookie: two tabs refreshing at the same moment (a duplicated tab arms the same timer) would
 * present the same cookie twice, which the server rightly treats as reuse and ends the session. Under the lock, the
 * second tab's request leaves after the first one's response set the next cookie, so it presents that one.
 */

export const REFRESH_LOCK_NAME = "thinkwatch.session-refresh";

/** The part of the Web Locks API used here (navigator.locks). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

function browserLocks(): LockManagerLike | undefined {
  // Web Locks exist in every current browser, but only in secure contexts (HTTPS or localhost).
  return typeof navigator === "undefined" ? undefined : (navigator.locks as LockManagerLike | undefined);
}

/** Runs `refresh` holding the cross-tab refresh lock; without Web Locks (plain-HTTP console) it just runs it. */
export function withRefreshLock<T>(refresh: () => Promise<T>, locks: LockManagerLike | undefined = browserLocks()): Promise<T> {
  if (locks === undefined) return refresh();
  return locks.request(REFRESH_LOCK_NAME, () => refresh());
}
