/**
 * The create-user form: email, name, role, and either a password or an invitation (the API answers with a link the
 * new user opens to set their own password). Validated with the API's own schema.
 */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { CreateUserSchema, ROLES } from "@thinkwatch/console-api";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import * as v from "valibot";
import { Form, SubmitButton } from "../components/form/form";
import { CheckboxField, SelectField, TextField } from "../components/form/form-fields";
import { useCreateUser } from "./user-queries";
import type { Invite, User } from "./users-api";

interface UserFormValues {
  email: string;
  displayName: string;
  role: string;
  invite: boolean;
  password: string;
}

const FormSchema = v.pipe(
  v.object({ email: v.string(), displayName: v.string(), role: v.string(), invite: v.boolean(), password: v.string() }),
  v.transform((values) => ({
    email: values.email,
    role: values.role,
    ...(values.displayName.trim() === "" ? {} : { displayName: values.displayName }),
    ...(values.invite ? {} : { password: values.password }),
  })),
  CreateUserSchema,
);
const resolver = valibotResolver(FormSchema);
const SHOWN_FIELDS = ["email", "displayName", "role", "password"];
const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
  super_admin: "Super Admin",
  admin: "Admin",
  team_manager: "Team Manager",
  developer: "Developer",
  viewer: "Viewer",
};

export function UserForm({
  onCreated,
  actions,
}: {
  onCreated(user: User, invite: Invite | undefined): void;
  actions?: ReactNode;
}) {
  const form = useForm<UserFormValues, unknown, v.InferOutput<typeof FormSchema>>({
    defaultValues: { email: "", displayName: "", role: "developer", invite: true, password: "" },
    resolver,
  });
  const create = useCreateUser();
  const invite = form.watch("invite");

  return (
    <Form
      form={form}
      onSubmit={(body) => create.mutate(body, { onSuccess: (r) => onCreated(r.user, r.invite) })}
      error={create.error}
      shownFields={SHOWN_FIELDS}
    >
      <div className="form-row">
        <TextField<UserFormValues> name="email" type="email" label="Email" autoComplete="off" />
        <TextField<UserFormValues> name="displayName" label="Display name (optional)" />
      </div>
      <SelectField<UserFormValues>
        name="role"
        label="Role"
        choices={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
      />
      <CheckboxField<UserFormValues> name="invite" label="Send an invitation link (the user sets their own password)" />
      {!invite && (
        <TextField<UserFormValues>
          name="password"
          type="password"
          label="Password"
          autoComplete="new-password"
          hint="8+ characters with an uppercase letter, a lowercase letter and a digit."
        />
      )}
      <div className="form-actions">
        <SubmitButton pending={create.isPending} pendingLabel="Creating…">
          Create user
        </SubmitButton>
        {actions}
      </div>
    </Form>
  );
}
