/**
 * Edit a subject's rate-limit rules: one row per rule, checked as typed, saved as a whole. AI gateway rules count
 * requests or weighted tokens; MCP gateway rules count tool calls.
 */
import { valibotResolver } from "@hookform/resolvers/valibot";
import type { RateLimitRuleInput } from "@thinkwatch/console-api";
import { Plus, Trash2 } from "lucide-react";
import { useFieldArray, useForm } from "react-hook-form";
import { Form, SubmitButton } from "../components/form/form";
import { CheckboxField, NumberField, SelectField, TextField } from "../components/form/form-fields";
import { emptyRule, type RuleRow, RulesFormSchema, WINDOW_CHOICES } from "./limit-form-schemas";
import type { LimitSubjectParams } from "./limits-api";
import { useSaveRules } from "./limits-queries";

type Values = { rules: RuleRow[] };
const resolver = valibotResolver(RulesFormSchema);

export function RulesEditor({ subject, initial, readOnly }: { subject: LimitSubjectParams; initial: Values; readOnly: boolean }) {
  const form = useForm<Values, unknown, RateLimitRuleInput[]>({ defaultValues: initial, resolver, mode: "onChange" });
  const rows = useFieldArray({ control: form.control, name: "rules" });
  const save = useSaveRules(subject);

  return (
    <Form
      form={form}
      onSubmit={(rules) => save.mutate(rules, { onSuccess: () => form.reset(form.getValues()) })}
      error={save.error}
      shownFields={["rules."]}
      label="Rate-limit rules"
    >
      {rows.fields.length === 0 && <p className="muted">No rules: requests are not rate-limited for this subject.</p>}
      {rows.fields.map((row, index) => (
        <fieldset key={row.id} className="fieldset" aria-label={`Rule ${index + 1}`}>
          <div className="form-row">
            <SelectField<Values>
              name={`rules.${index}.surface`}
              label="Gateway"
              choices={[
                { value: "ai_gateway", label: "AI gateway" },
                { value: "mcp_gateway", label: "MCP gateway" },
              ]}
            />
            <SelectField<Values>
              name={`rules.${index}.metric`}
              label="Counts"
              choices={[
                { value: "requests", label: "Requests" },
                { value: "tokens", label: "Weighted tokens" },
              ]}
            />
            <SelectField<Values> name={`rules.${index}.windowSeconds`} label="Window" choices={WINDOW_CHOICES} />
            <NumberField<Values> name={`rules.${index}.limit`} label="Limit" min={0} step={1} />
          </div>
          <div className="form-row">
            <TextField<Values> name={`rules.${index}.reason`} label="Reason (optional)" maxLength={500} />
            <CheckboxField<Values> name={`rules.${index}.enabled`} label="Enabled" />
          </div>
          {!readOnly && (
            <button type="button" className="button button-danger-quiet button-small" onClick={() => rows.remove(index)}>
              <Trash2 aria-hidden="true" />
              Remove rule {index + 1}
            </button>
          )}
        </fieldset>
      ))}
      {!readOnly && (
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={() => rows.append(emptyRule(subject.kind))}>
            <Plus aria-hidden="true" />
            Add rule
          </button>
          <SubmitButton pending={save.isPending} pendingLabel="Saving…">
            Save rules
          </SubmitButton>
          {save.isSuccess && !form.formState.isDirty && <span role="status">Rules saved.</span>}
        </div>
      )}
    </Form>
  );
}
