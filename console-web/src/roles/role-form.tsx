/** Create or edit a custom role: a name, a description and a set of permissions from the console's vocabulary. */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { CreateRoleSchema } from "@thinkwatch/console-api";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import * as v from "valibot";
import { Form, SubmitButton } from "../components/form/form";
import { GroupError, TextField } from "../components/form/form-fields";
import { usePermissionVocabulary, useSaveRole } from "./role-queries";
import type { CreateRoleInput, RoleDefinition } from "./roles-api";

const RoleFormSchema = v.object({
  ...CreateRoleSchema.entries,
  permissions: v.pipe(CreateRoleSchema.entries.permissions, v.minLength(1, "choose at least one permission")),
});
type RoleFormValues = v.InferInput<typeof RoleFormSchema>;
const resolver = valibotResolver(RoleFormSchema);

export function RoleForm({ role, onSaved, actions }: { role: RoleDefinition | null; onSaved(): void; actions?: ReactNode }) {
  const vocabulary = usePermissionVocabulary();
  const save = useSaveRole();
  const form = useForm<RoleFormValues, unknown, CreateRoleInput>({
    defaultValues: { name: role?.name ?? "", description: role?.description ?? "", permissions: role?.permissions ?? [] },
    resolver,
  });

  return (
    <Form
      form={form}
      onSubmit={(body) => save.mutate({ id: role?.id ?? null, body }, { onSuccess: onSaved })}
      error={save.error}
      shownFields={["name", "description", "permissions"]}
    >
      <TextField<RoleFormValues> name="name" label="Name" />
      <TextField<RoleFormValues> name="description" label="Description (optional)" />
      <fieldset className="fieldset">
        <legend>Permissions</legend>
        <div className="permission-grid">
          {(vocabulary.data ?? []).map((permission) => (
            <label key={permission} className="checkbox">
              <input type="checkbox" value={permission} {...form.register("permissions")} />
              <code>{permission}</code>
            </label>
          ))}
        </div>
        <GroupError<RoleFormValues> name="permissions" />
      </fieldset>
      <div className="form-actions">
        <SubmitButton pending={save.isPending}>{role === null ? "Create role" : "Save role"}</SubmitButton>
        {actions}
      </div>
    </Form>
  );
}
