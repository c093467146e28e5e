/**
 * /login/sso: where admin-api sends the browser after a successful SSO callback, with the access token in the URL
 * fragment (never sent to a server, removed from the address bar at once). It loads the user and signs in.
 */
import { useEffect, useState } from "react";
import { Navigate } from "react-router";
import { createApiClient } from "../api/api-client";
import { ErrorState } from "../components/error-state";
import { LoadingState } from "../components/loading-state";
import { CenteredCard } from "../layout/centered-card";
import { getMe } from "../session/auth-api";
import { useSession } from "../session/session-context";

export function SsoLandingPage() {
  const { signIn } = useSession();
  const [state, setState] = useState<{ done: boolean; error: unknown }>({ done: false, error: null });

  useEffect(() => {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    window.history.replaceState(null, "", window.location.pathname);
    const accessToken = fragment.get("access_token");
    const expiresIn = Number(fragment.get("expires_in") ?? "0");
    if (accessToken === null) {
      setState({ done: false, error: new Error("the SSO login returned no session; sign in again") });
      return;
    }
    getMe(createApiClient({ getToken: () => accessToken }))
      .then(({ user }) => {
        signIn({
          user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role },
          accessToken,
          expiresIn,
          tokenType: "Bearer",
        });
        setState({ done: true, error: null });
      })
      .catch((error: unknown) => setState({ done: false, error }));
  }, [signIn]);

  if (state.done) return <Navigate to="/" replace />;
  return (
    <CenteredCard title="Signing in">
      {state.error === null ? (
        <LoadingState label="Finishing single sign-on…" />
      ) : (
        <ErrorState error={state.error} title="SSO sign-in failed" />
      )}
    </CenteredCard>
  );
}
