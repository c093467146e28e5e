/** Setup step 1: create the first super admin (and name the site), then sign in as that admin. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { useApi } from "../api/use-api";
import { checkResolver } from "../components/form/check-resolver";
import { Form, SubmitButton } from "../components/form/form";
import { TextField } from "../components/form/form-fields";
import { useSession } from "../session/session-context";
import { sessionKeys } from "../session/session-queries";
import { PasswordChecklist } from "./password-checklist";
import { passwordProblem } from "./password-rule";
import { type InitializeRequest, initializeSetup } from "./setup-api";

/** API paths of the fields this form shows, and the form's own names for them. */
const SHOWN_FIELDS = ["siteName", "admin.email", "admin.displayName", "admin.password", "confirm"];
const RENAME = { "admin.email": "email", "admin.displayName": "displayName", "admin.password": "password" };

interface AdminValues {
  siteName: string;
  email: string;
  displayName: string;
  password: string;
  confirm: string;
}

const resolver = checkResolver((values: AdminValues) => {
  const problem = passwordProblem(values.password, values.confirm);
  return problem === undefined ? {} : { [problem.field]: problem.message };
});

function toRequest(values: AdminValues): InitializeRequest {
  const request: InitializeRequest = { admin: { email: values.email.trim(), password: values.password } };
  const displayName = values.displayName.trim();
  if (displayName !== "") request.admin.displayName = displayName;
  const siteName = values.siteName.trim();
  if (siteName !== "") request.siteName = siteName;
  return request;
}

export function AdminStep({ onDone }: { onDone(): void }) {
  const api = useApi();
  const { signIn } = useSession();
  const queryClient = useQueryClient();
  const form = useForm<AdminValues>({
    defaultValues: { siteName: "", email: "", displayName: "", password: "", confirm: "" },
    resolver,
  });
  const initialize = useMutation({ mutationFn: (values: AdminValues) => initializeSetup(api, toRequest(values)) });
  const [password, confirm] = form.watch(["password", "confirm"]);

  function onSubmit(values: AdminValues) {
    initialize.mutate(values, {
      onSuccess: (token) => {
        signIn(token);
        // The guard reads this status; it must not send the new admin back here from a stale cache.
        queryClient.setQueryData(sessionKeys.setupStatus, { initialized: true, needsSetup: false });
        onDone();
      },
    });
  }

  return (
    <Form form={form} onSubmit={onSubmit} error={initialize.error} shownFields={SHOWN_FIELDS} rename={RENAME}>
      {initialize.error !== null && "status" in initialize.error && initialize.error.status === 409 && (
        <p>
          ThinkWatch has been set up meanwhile. <Link to="/login">Sign in</Link> instead.
        </p>
      )}
      <TextField<AdminValues>
        name="siteName"
        label="Site name (optional)"
        hint="Shown in the console, e.g. your company."
        maxLength={200}
      />
      <TextField<AdminValues> name="email" type="email" label="Admin email" autoComplete="username" />
      <TextField<AdminValues> name="displayName" label="Display name (optional)" autoComplete="name" maxLength={200} />
      <TextField<AdminValues>
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        hint={<PasswordChecklist password={password} />}
      />
      <TextField<AdminValues>
        name="confirm"
        type="password"
        label="Confirm password"
        autoComplete="new-password"
        hint={confirm === "" ? undefined : confirm === password ? "✓ the passwords match" : "the passwords differ"}
      />
      <div className="form-actions">
        <SubmitButton pending={initialize.isPending} pendingLabel="Creating admin…">
          Create admin account
        </SubmitButton>
      </div>
    </Form>
  );
}
