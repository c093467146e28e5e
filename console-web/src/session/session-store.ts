/**
 * Keeps the console session (access token, its expiry, the user) in sessionStorage: it survives reloads of the tab
 * but not closing it, and is never shared with other tabs' storage or sent anywhere but admin-api.
 */
import type { PublicUser, TokenResponse } from "./auth-api";

export interface Session {
  accessToken: string;
  /** Epoch milliseconds after which the token is no longer accepted. */
  expiresAt: number;
  user: PublicUser;
}

export interface SessionStore {
  load(): Session | null;
  save(token: TokenResponse): Session;
  saveUser(user: PublicUser): void;
  clear(): void;
}

const STORAGE_KEY = "thinkwatch.session";

function isSession(value: unknown): value is Session {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Session>;
  return (
    typeof candidate.accessToken === "string" &&
    typeof candidate.expiresAt === "number" &&
    typeof candidate.user === "object" &&
    candidate.user !== null &&
    typeof candidate.user.id === "string"
  );
}

export function createSessionStore(
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">,
  now = () => Date.now(),
): SessionStore {
  function load(): Session | null {
    const raw = storage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    // Drop what cannot be used rather than sending a token we know the server will refuse.
    if (!isSession(parsed) || parsed.expiresAt <= now()) {
      storage.removeItem(STORAGE_KEY);
      return null;
    }
    return parsed;
  }

  function write(session: Session): void {
    storage.setItem(STORAGE_KEY, JSON.stringify(session));
  }

  return {
    load,
    save(token) {
      const session = { accessToken: token.accessToken, expiresAt: now() + token.expiresIn * 1000, user: token.user };
      write(session);
      return session;
    },
    saveUser(user) {
      const current = load();
      if (current !== null) write({ ...current, user });
    },
    clear() {
      storage.removeItem(STORAGE_KEY);
    },
  };
}
