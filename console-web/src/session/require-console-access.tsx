/**
 * Guards the signed-in console: an installation without an admin goes to /setup, a visitor without a session to
 * /login (remembering where they were going), and a stored session is confirmed with /api/auth/me before rendering.
 */
import { type ReactNode, useEffect } from "react";
import { Navigate, useLocation } from "react-router";
import { getMe } from "../api/auth-api";
import { getSetupStatus } from "../api/setup-api";
import { ErrorBanner } from "../forms/error-banner";
import { useLoad } from "../hooks/use-load";
import { CenteredCard } from "../layout/centered-card";
import { useSession } from "./session-context";

export function RequireConsoleAccess({ children }: { children: ReactNode }) {
  const { api, session, updateUser } = useSession();
  const location = useLocation();
  const hasSession = session !== null;
  // The status and the user are loaded together; a 401 from /me signs out (see the API client) and we redirect.
  const check = useLoad(async () => {
    const status = await getSetupStatus(api);
    const me = status.needsSetup || !hasSession ? null : await getMe(api);
    return { status, user: me?.user ?? null };
  });

  useEffect(() => {
    if (check.data?.user) updateUser(check.data.user);
  }, [check.data, updateUser]);

  if (check.data?.status.needsSetup === true) return <Navigate to="/setup" replace />;
  if (!hasSession) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (check.data === undefined || check.data.user === null) {
    return (
      <CenteredCard title={check.error === null ? "Loading…" : "The console API did not answer"}>
        <ErrorBanner error={check.error} />
        {check.error !== null && (
          <button type="button" onClick={check.reload}>
            Try again
          </button>
        )}
      </CenteredCard>
    );
  }
  return children;
}
