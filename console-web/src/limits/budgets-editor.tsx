/** Edit a subject's budget caps: calendar periods in weighted tokens or USD, in UTC or a time zone. */
import { valibotResolver } from "@hookform/resolvers/valibot";
import type { BudgetCapInput } from "@thinkwatch/console-api";
import { Plus, Trash2 } from "lucide-react";
import { useFieldArray, useForm } from "react-hook-form";
import { Form, SubmitButton } from "../components/form/form";
import { CheckboxField, NumberField, SelectField, TextField } from "../components/form/form-fields";
import { type BudgetRow, BudgetsFormSchema, emptyBudget } from "./limit-form-schemas";
import type { LimitSubjectParams } from "./limits-api";
import { useSaveBudgets } from "./limits-queries";

type Values = { budgets: BudgetRow[] };
const resolver = valibotResolver(BudgetsFormSchema);

export function BudgetsEditor({
  subject,
  initial,
  readOnly,
}: {
  subject: LimitSubjectParams;
  initial: Values;
  readOnly: boolean;
}) {
  const form = useForm<Values, unknown, BudgetCapInput[]>({ defaultValues: initial, resolver, mode: "onChange" });
  const rows = useFieldArray({ control: form.control, name: "budgets" });
  const save = useSaveBudgets(subject);

  return (
    <Form
      form={form}
      onSubmit={(budgets) => save.mutate(budgets, { onSuccess: () => form.reset(form.getValues()) })}
      error={save.error}
      shownFields={["budgets", "budgets."]}
      label="Budget caps"
    >
      {rows.fields.length === 0 && <p className="muted">No budgets: spend is not capped for this subject.</p>}
      {rows.fields.map((row, index) => (
        <fieldset key={row.id} className="fieldset" aria-label={`Budget ${index + 1}`}>
          <div className="form-row">
            <SelectField<Values>
              name={`budgets.${index}.period`}
              label="Period"
              choices={[
                { value: "daily", label: "Daily" },
                { value: "weekly", label: "Weekly (ISO, from Monday)" },
                { value: "monthly", label: "Monthly" },
              ]}
            />
            <SelectField<Values>
              name={`budgets.${index}.unit`}
              label="Unit"
              choices={[
                { value: "tokens", label: "Weighted tokens" },
                { value: "usd", label: "USD" },
              ]}
            />
            <NumberField<Values> name={`budgets.${index}.limit`} label="Cap" min={0} step={0.01} />
            <TextField<Values> name={`budgets.${index}.timezone`} label="Time zone" hint="UTC or an IANA zone" />
          </div>
          <div className="form-row">
            <TextField<Values> name={`budgets.${index}.reason`} label="Reason (optional)" maxLength={500} />
            <CheckboxField<Values> name={`budgets.${index}.enabled`} label="Enabled" />
          </div>
          {!readOnly && (
            <button type="button" className="button button-danger-quiet button-small" onClick={() => rows.remove(index)}>
              <Trash2 aria-hidden="true" />
              Remove budget {index + 1}
            </button>
          )}
        </fieldset>
      ))}
      {!readOnly && (
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={() => rows.append(emptyBudget())}>
            <Plus aria-hidden="true" />
            Add budget
          </button>
          <SubmitButton pending={save.isPending} pendingLabel="Saving…">
            Save budgets
          </SubmitButton>
          {save.isSuccess && !form.formState.isDirty && <span role="status">Budgets saved.</span>}
        </div>
      )}
    </Form>
  );
}
