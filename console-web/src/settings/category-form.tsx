/** One settings category as a form: inline validation with the category's schema, PATCH of the changed keys only. */
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { checkResolver } from "../components/form/check-resolver";
import { Form, SubmitButton } from "../components/form/form";
import { CheckboxField, NumberField, SelectField, TextField } from "../components/form/form-fields";
import { useCan } from "../session/current-user";
import { changedKeys, checkCategory, type FormValues, toFormValues } from "./category-values";
import type { SettingsCategory } from "./settings-api";
import { SETTING_FIELDS, type SettingField } from "./settings-fields";
import { usePatchSettings } from "./settings-queries";

const ROLE_CHOICES = ["super_admin", "admin", "team_manager", "developer", "viewer"].map((role) => ({
  value: role,
  label: role,
}));

function Input({ field }: { field: SettingField }) {
  const common = { name: field.key, label: field.label, hint: field.hint };
  if (field.kind === "boolean") return <CheckboxField<FormValues> {...common} />;
  if (field.kind === "number") return <NumberField<FormValues> {...common} />;
  if (field.kind === "role") return <SelectField<FormValues> {...common} choices={ROLE_CHOICES} />;
  return <TextField<FormValues> {...common} />;
}

export function CategoryForm({ category, values }: { category: SettingsCategory; values: Record<string, unknown> }) {
  const canWrite = useCan("settings:write");
  const save = usePatchSettings(category);
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm<FormValues>({
    defaultValues: toFormValues(category, values),
    resolver: checkResolver((input) => checkCategory(category, input)),
    mode: "onChange",
  });
  // A save elsewhere (or by another admin) refreshes the form's starting point.
  useEffect(() => form.reset(toFormValues(category, values)), [category, values, form]);
  const fields = SETTING_FIELDS[category];

  function onSubmit(input: FormValues) {
    const changes = changedKeys(category, values, input);
    if (Object.keys(changes).length === 0) {
      setSaved("Nothing changed.");
      return;
    }
    setSaved(null);
    save.mutate(changes, { onSuccess: () => setSaved(`Saved ${Object.keys(changes).length} setting(s).`) });
  }

  return (
    <Form
      form={form}
      onSubmit={onSubmit}
      error={save.error}
      shownFields={fields.map((field) => `${category}.${field.key}`)}
      rename={Object.fromEntries(fields.map((field) => [`${category}.${field.key}`, field.key]))}
      label={`${category} settings`}
    >
      <fieldset disabled={!canWrite} className="settings-fields">
        {fields.map((field) => (
          <Input key={field.key} field={field} />
        ))}
      </fieldset>
      {canWrite && (
        <div className="form-actions">
          <SubmitButton pending={save.isPending} pendingLabel="Saving…">
            Save
          </SubmitButton>
          {saved !== null && (
            <span role="status" className="muted">
              {saved}
            </span>
          )}
        </div>
      )}
    </Form>
  );
}
