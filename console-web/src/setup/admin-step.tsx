/** Setup step 1: create the first super admin (and name the site), then sign in as that admin. */
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { invalidInput } from "../api/api-error";
import { type InitializeRequest, initializeSetup } from "../api/setup-api";
import { ErrorBanner } from "../forms/error-banner";
import { Field } from "../forms/field";
import { useSubmit } from "../hooks/use-submit";
import { useSession } from "../session/session-context";
import { PasswordChecklist } from "./password-checklist";
import { passwordProblem } from "./password-rule";

const SHOWN_FIELDS = ["siteName", "admin.email", "admin.displayName", "admin.password", "confirm"];

interface AdminValues {
  siteName: string;
  email: string;
  displayName: string;
  password: string;
  confirm: string;
}

function toRequest(values: AdminValues): InitializeRequest {
  const request: InitializeRequest = { admin: { email: values.email.trim(), password: values.password } };
  const displayName = values.displayName.trim();
  if (displayName !== "") request.admin.displayName = displayName;
  const siteName = values.siteName.trim();
  if (siteName !== "") request.siteName = siteName;
  return request;
}

export function AdminStep({ onDone }: { onDone(): void }) {
  const { api, signIn } = useSession();
  const [values, setValues] = useState<AdminValues>({ siteName: "", email: "", displayName: "", password: "", confirm: "" });
  const submit = useSubmit(async (form: AdminValues) => {
    const problem = passwordProblem(form.password, form.confirm);
    if (problem !== undefined)
      throw invalidInput({ [problem.field === "password" ? "admin.password" : "confirm"]: problem.message });
    return initializeSetup(api, toRequest(form));
  });
  const fields = submit.error?.fields ?? {};

  function set(field: keyof AdminValues) {
    return (event: { target: { value: string } }) => setValues((current) => ({ ...current, [field]: event.target.value }));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const token = await submit.run(values);
    if (token === undefined) return;
    signIn(token);
    onDone();
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <ErrorBanner error={submit.error} shownFields={SHOWN_FIELDS} />
      {submit.error?.status === 409 && (
        <p>
          ThinkWatch has been set up meanwhile. <Link to="/login">Sign in</Link> instead.
        </p>
      )}
      <Field
        id="setup-site-name"
        label="Site name (optional)"
        error={fields.siteName}
        hint="Shown in the console, e.g. your company."
      >
        <input id="setup-site-name" value={values.siteName} onChange={set("siteName")} maxLength={200} />
      </Field>
      <Field id="setup-email" label="Admin email" error={fields["admin.email"]}>
        <input id="setup-email" type="email" autoComplete="username" value={values.email} onChange={set("email")} required />
      </Field>
      <Field id="setup-display-name" label="Display name (optional)" error={fields["admin.displayName"]}>
        <input
          id="setup-display-name"
          autoComplete="name"
          value={values.displayName}
          onChange={set("displayName")}
          maxLength={200}
        />
      </Field>
      <Field
        id="setup-password"
        label="Password"
        error={fields["admin.password"]}
        hint={<PasswordChecklist password={values.password} />}
      >
        <input
          id="setup-password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set("password")}
          required
        />
      </Field>
      <Field
        id="setup-confirm"
        label="Confirm password"
        error={fields.confirm}
        hint={
          values.confirm === ""
            ? undefined
            : values.confirm === values.password
              ? "✓ the passwords match"
              : "the passwords differ"
        }
      >
        <input
          id="setup-confirm"
          type="password"
          autoComplete="new-password"
          value={values.confirm}
          onChange={set("confirm")}
          required
        />
      </Field>
      <div className="form-actions">
        <button type="submit" disabled={submit.pending}>
          {submit.pending ? "Creating admin…" : "Create admin account"}
        </button>
      </div>
    </form>
  );
}
