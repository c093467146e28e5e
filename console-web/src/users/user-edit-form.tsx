/** Edit a user's display name and role. A demotion ends the user's sessions (the API does it). */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { ROLES, UpdateUserSchema } from "@thinkwatch/console-api";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import { Form, SubmitButton } from "../components/form/form";
import { SelectField, TextField } from "../components/form/form-fields";
import { useUpdateUser } from "./user-queries";
import type { UpdateUserInput, User } from "./users-api";

const resolver = valibotResolver(UpdateUserSchema);

export function UserEditForm({ user, onSaved, actions }: { user: User; onSaved(): void; actions?: ReactNode }) {
  const form = useForm<UpdateUserInput>({ defaultValues: { displayName: user.displayName, role: user.role }, resolver });
  const update = useUpdateUser();
  return (
    <Form
      form={form}
      onSubmit={(body) => update.mutate({ id: user.id, body }, { onSuccess: onSaved })}
      error={update.error}
      shownFields={["displayName", "role"]}
    >
      <TextField<UpdateUserInput> name="displayName" label="Display name" />
      <SelectField<UpdateUserInput>
        name="role"
        label="Role"
        choices={ROLES.map((role) => ({ value: role, label: role.replace("_", " ") }))}
      />
      <div className="form-actions">
        <SubmitButton pending={update.isPending}>Save</SubmitButton>
        {actions}
      </div>
    </Form>
  );
}
