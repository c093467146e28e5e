/**
 * /invite#token=…: an invited user sets their first password, then signs in. The token travels in the fragment so it
 * never reaches a server log or a Referer header.
 */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { useMutation } from "@tanstack/react-query";
import { PasswordSchema } from "@thinkwatch/console-api";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import * as v from "valibot";
import { useApi } from "../api/use-api";
import { Form, SubmitButton } from "../components/form/form";
import { TextField } from "../components/form/form-fields";
import { CenteredCard } from "../layout/centered-card";

const FormSchema = v.object({ password: PasswordSchema });
type Values = v.InferInput<typeof FormSchema>;
const resolver = valibotResolver(FormSchema);

export function AcceptInvitePage() {
  const api = useApi();
  const token = new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "";
  const form = useForm<Values>({ defaultValues: { password: "" }, resolver });
  const accept = useMutation({ mutationFn: (values: Values) => api.post("/api/auth/invite/accept", { token, ...values }) });

  if (accept.isSuccess) {
    return (
      <CenteredCard title="Password set">
        <p>Your account is ready.</p>
        <Link className="button button-primary" to="/login">
          Sign in
        </Link>
      </CenteredCard>
    );
  }
  return (
    <CenteredCard title="Set your password">
      <Form form={form} onSubmit={(values) => accept.mutate(values)} error={accept.error} shownFields={["password"]}>
        <TextField<Values>
          name="password"
          type="password"
          label="New password"
          autoComplete="new-password"
          hint="8+ characters with an uppercase letter, a lowercase letter and a digit."
        />
        <div className="form-actions">
          <SubmitButton pending={accept.isPending} pendingLabel="Saving…">
            Set password
          </SubmitButton>
        </div>
      </Form>
    </CenteredCard>
  );
}
