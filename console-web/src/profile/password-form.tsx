/** Change one's own password: the current one is required; the user's other sessions end. */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { ChangePasswordSchema } from "@thinkwatch/console-api";
import { useForm } from "react-hook-form";
import { Form, SubmitButton } from "../components/form/form";
import { TextField } from "../components/form/form-fields";
import type { ChangePasswordInput } from "./profile-api";
import { useChangePassword } from "./profile-queries";

const resolver = valibotResolver(ChangePasswordSchema);

export function PasswordForm() {
  const form = useForm<ChangePasswordInput>({ defaultValues: { currentPassword: "", newPassword: "" }, resolver });
  const change = useChangePassword();
  return (
    <Form
      form={form}
      label="Change password"
      onSubmit={(body) => change.mutate(body, { onSuccess: () => form.reset({ currentPassword: "", newPassword: "" }) })}
      error={change.error}
      shownFields={["currentPassword", "newPassword"]}
    >
      {change.isSuccess && (
        <div className="banner banner-ok" role="status">
          Password changed. {change.data.sessionsEnded} other session{change.data.sessionsEnded === 1 ? "" : "s"} signed out.
        </div>
      )}
      <div className="form-row">
        <TextField<ChangePasswordInput>
          name="currentPassword"
          type="password"
          label="Current password"
          autoComplete="current-password"
        />
        <TextField<ChangePasswordInput>
          name="newPassword"
          type="password"
          label="New password"
          autoComplete="new-password"
          hint="8+ characters with an uppercase letter, a lowercase letter and a digit."
        />
      </div>
      <div className="form-actions">
        <SubmitButton pending={change.isPending} pendingLabel="Changing…">
          Change password
        </SubmitButton>
      </div>
    </Form>
  );
}
