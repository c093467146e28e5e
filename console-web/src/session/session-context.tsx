/** Makes the session (inside the QueryClientProvider, whose cache it clears on sign-out) and an API client bound to it available to every page; signs out when the token stops working. */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { type ApiClient, createApiClient } from "../api/api-client";
import { logout, type PublicUser, refreshSession, type TokenResponse } from "./auth-api";
import { withRefreshLock } from "./refresh-lock";
import { createSessionStore, type Session } from "./session-store";

export interface SessionContextValue {
  session: Session | null;
  api: ApiClient;
  signIn(token: TokenResponse): void;
  signOut(): void;
  updateUser(user: PublicUser): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const store = useMemo(() => createSessionStore(window.sessionStorage), []);
  const [session, setSession] = useState<Session | null>(() => store.load());
  // The client reads the token through a ref so it never needs to be rebuilt (and effects using it never re-run).
  const tokenRef = useRef<string | null>(session?.accessToken ?? null);
  tokenRef.current = session?.accessToken ?? null;

  const queryClient = useQueryClient();
  const endLocally = useCallback(() => {
    store.clear();
    tokenRef.current = null;
    setSession(null);
    // Nothing one user loaded may be shown to whoever signs in next in this tab.
    queryClient.clear();
  }, [store, queryClient]);

  const api = useMemo(() => createApiClient({ getToken: () => tokenRef.current, onUnauthorized: endLocally }), [endLocally]);

  // Signing out ends the session on the server too, so its access token and refresh cookie are dead at once; the
  // tab forgets it either way (a failed call leaves a session that expires by itself, nothing to show the user).
  const signOut = useCallback(() => {
    if (tokenRef.current !== null) void logout(api).catch(() => undefined);
    endLocally();
  }, [api, endLocally]);

  const signIn = useCallback(
    (token: TokenResponse) => {
      const next = store.save(token);
      tokenRef.current = next.accessToken;
      setSession(next);
    },
    [store],
  );

  const updateUser = useCallback(
    (user: PublicUser) => {
      store.saveUser(user);
      setSession((current) => (current === null ? null : { ...current, user }));
    },
    [store],
  );

  // Shortly before the access token expires, trade the refresh cookie for a new one; when that fails (session ended,
  // user deactivated, another address) the tab lands on the login page instead of failing on its next click.
  useEffect(() => {
    if (session === null) return;
    const lifetime = session.expiresAt - Date.now();
    // Browsers fire at once for delays past 2^31-1 ms, so clamp; a tab open for 24 days re-arms on its next render.
    const delay = Math.min(Math.max(0, lifetime - Math.min(60_000, lifetime / 4)), 2_147_483_647);
    const timer = window.setTimeout(() => {
      // One tab at a time: they share the single-use refresh cookie (see refresh-lock.ts).
      withRefreshLock(() => refreshSession(api)).then(signIn, endLocally);
    }, delay);
    return () => window.clearTimeout(timer);
  }, [session, api, signIn, endLocally]);

  const value = useMemo(() => ({ session, api, signIn, signOut, updateUser }), [session, api, signIn, signOut, updateUser]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error("useSession must be used inside <SessionProvider>");
  return value;
}
