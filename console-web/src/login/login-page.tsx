/** /login: email and password sign-in; sends a not-yet-set-up installation to the setup wizard instead. */
import { type FormEvent, useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { login } from "../api/auth-api";
import { getSetupStatus } from "../api/setup-api";
import { ErrorBanner } from "../forms/error-banner";
import { Field } from "../forms/field";
import { useLoad } from "../hooks/use-load";
import { useSubmit } from "../hooks/use-submit";
import { CenteredCard } from "../layout/centered-card";
import { useSession } from "../session/session-context";

/** Where the guard wanted to go before it sent the user here; only same-app paths, never another origin. */
function returnPath(state: unknown): string {
  const from = typeof state === "object" && state !== null ? (state as { from?: unknown }).from : undefined;
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") ? from : "/";
}

export function LoginPage() {
  const { api, session, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const status = useLoad(() => getSetupStatus(api));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const submit = useSubmit(() => login(api, email.trim(), password));
  const fields = submit.error?.fields ?? {};

  if (status.data?.needsSetup === true) return <Navigate to="/setup" replace />;
  if (session !== null) return <Navigate to={returnPath(location.state)} replace />;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const token = await submit.run();
    if (token === undefined) return;
    signIn(token);
    navigate(returnPath(location.state), { replace: true });
  }

  return (
    <CenteredCard title="Sign in">
      <form className="form" onSubmit={onSubmit} noValidate>
        <ErrorBanner error={submit.error ?? status.error} shownFields={["email", "password"]} />
        <Field id="login-email" label="Email" error={fields.email}>
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </Field>
        <Field id="login-password" label="Password" error={fields.password}>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </Field>
        <div className="form-actions">
          <button type="submit" disabled={submit.pending}>
            {submit.pending ? "Signing in…" : "Sign in"}
          </button>
        </div>
      </form>
    </CenteredCard>
  );
}
