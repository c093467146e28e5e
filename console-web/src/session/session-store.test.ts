import { describe, expect, it } from "vitest";
import type { TokenResponse } from "./auth-api";
import { createSessionStore } from "./session-store";

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const token: TokenResponse = {
  user: { id: "u1", email: "a@example.com", displayName: "Ada", role: "super_admin" },
  accessToken: "jwt",
  expiresIn: 900,
  tokenType: "Bearer",
};

describe("createSessionStore", () => {
  it("saves a session with its absolute expiry and loads it back", () => {
    const storage = memoryStorage();
    const store = createSessionStore(storage, () => 1_000);
    expect(store.save(token)).toEqual({ accessToken: "jwt", expiresAt: 901_000, user: token.user });
    expect(store.load()).toEqual({ accessToken: "jwt", expiresAt: 901_000, user: token.user });
  });

  it("drops an expired session", () => {
    const storage = memoryStorage();
    let now = 0;
    const store = createSessionStore(storage, () => now);
    store.save(token);
    now = 900_000;
    expect(store.load()).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it.each(["not json", JSON.stringify({ accessToken: 1 }), JSON.stringify(null)])("drops a malformed entry %j", (raw) => {
    const storage = memoryStorage();
    storage.items.set("thinkwatch.session", raw);
    expect(createSessionStore(storage).load()).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it("updates the user and clears", () => {
    const storage = memoryStorage();
    const store = createSessionStore(storage, () => 0);
    store.save(token);
    store.saveUser({ ...token.user, displayName: "Ada L." });
    expect(store.load()?.user.displayName).toBe("Ada L.");
    store.clear();
    expect(store.load()).toBeNull();
  });
});
