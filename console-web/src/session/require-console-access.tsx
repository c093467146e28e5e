/**
 * Guards the signed-in console: an installation without an admin goes to /setup, a visitor without a session to
 * /login (remembering where they were going), and a stored session is confirmed with /api/auth/me (which also
 * brings the user's permissions) before rendering.
 */
import { type ReactNode, useEffect } from "react";
import { Navigate, useLocation } from "react-router";
import { ErrorState } from "../components/error-state";
import { LoadingState } from "../components/loading-state";
import { CenteredCard } from "../layout/centered-card";
import { CurrentUserProvider } from "./current-user";
import { useSession } from "./session-context";
import { useMe, useSetupStatus } from "./session-queries";

export function RequireConsoleAccess({ children }: { children: ReactNode }) {
  const { session, updateUser } = useSession();
  const location = useLocation();
  const hasSession = session !== null;
  const status = useSetupStatus();
  // A 401 from /me signs out (see the API client), which re-renders this into the redirect below.
  const me = useMe(hasSession && status.data?.needsSetup === false);

  useEffect(() => {
    if (me.data === undefined) return;
    const { permissions: _permissions, ...user } = me.data.user;
    updateUser(user);
  }, [me.data, updateUser]);

  if (status.data?.needsSetup === true) return <Navigate to="/setup" replace />;
  if (!hasSession) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  const error = status.error ?? me.error;
  if (error !== null) {
    return (
      <CenteredCard title="The console API did not answer">
        <ErrorState error={error} onRetry={() => void (status.error !== null ? status.refetch() : me.refetch())} />
      </CenteredCard>
    );
  }
  if (me.data === undefined) {
    return (
      <CenteredCard title="Loading…">
        <LoadingState label="Checking your session…" />
      </CenteredCard>
    );
  }
  return <CurrentUserProvider user={me.data.user}>{children}</CurrentUserProvider>;
}
