/** /login: email and password sign-in; sends a not-yet-set-up installation to the setup wizard instead. */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Navigate, useLocation, useNavigate } from "react-router";
import * as v from "valibot";
import { useApi } from "../api/use-api";
import { ErrorState } from "../components/error-state";
import { Form, SubmitButton } from "../components/form/form";
import { TextField } from "../components/form/form-fields";
import { CenteredCard } from "../layout/centered-card";
import { login } from "../session/auth-api";
import { useSession } from "../session/session-context";
import { useSetupStatus } from "../session/session-queries";

const LoginFormSchema = v.object({
  email: v.pipe(v.string(), v.trim(), v.minLength(1, "email is required")),
  password: v.pipe(v.string(), v.minLength(1, "password is required")),
});
type LoginValues = v.InferInput<typeof LoginFormSchema>;
const resolver = valibotResolver(LoginFormSchema);

/** Where the guard wanted to go before it sent the user here; only same-app paths, never another origin. */
function returnPath(state: unknown): string {
  const from = typeof state === "object" && state !== null ? (state as { from?: unknown }).from : undefined;
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") ? from : "/";
}

export function LoginPage() {
  const api = useApi();
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const status = useSetupStatus();
  const form = useForm<LoginValues>({ defaultValues: { email: "", password: "" }, resolver });
  const signInRequest = useMutation({ mutationFn: (values: LoginValues) => login(api, values) });

  if (status.data?.needsSetup === true) return <Navigate to="/setup" replace />;
  if (session !== null) return <Navigate to={returnPath(location.state)} replace />;

  function onSubmit(values: LoginValues) {
    signInRequest.mutate(values, {
      onSuccess: (token) => {
        signIn(token);
        navigate(returnPath(location.state), { replace: true });
      },
    });
  }

  return (
    <CenteredCard title="Sign in">
      {status.error !== null && <ErrorState title="Could not reach the console API" error={status.error} />}
      <Form form={form} onSubmit={onSubmit} error={signInRequest.error} shownFields={["email", "password"]}>
        <TextField<LoginValues> name="email" type="email" label="Email" autoComplete="username" />
        <TextField<LoginValues> name="password" type="password" label="Password" autoComplete="current-password" />
        <div className="form-actions">
          <SubmitButton pending={signInRequest.isPending} pendingLabel="Signing in…">
            Sign in
          </SubmitButton>
        </div>
      </Form>
    </CenteredCard>
  );
}
