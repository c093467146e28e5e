/** Edit a key's name, scopes (gateways, model and MCP tool patterns), expiry, inactivity timeout and rotation period. */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Form, SubmitButton } from "../components/form/form";
import { CheckboxField, GroupError, NumberField, TextField } from "../components/form/form-fields";
import { editSchema, editValuesOf, type KeyEditValues } from "./key-edit-schema";
import { MAX_EXPIRY_DAYS } from "./key-form-schema";
import { useUpdateKey } from "./key-queries";
import type { ApiKey, Surface, UpdateKeyRequest } from "./keys-api";
import { SURFACE_LABELS } from "./surface-labels";

const SHOWN_FIELDS = [
  "name",
  "surfaces",
  "surfaces.",
  "allowedModels",
  "allowedModels.",
  "allowedMcpTools",
  "allowedMcpTools.",
  "strictConversion",
  "inactivityTimeoutDays",
  "rotationPeriodDays",
];

export function KeyEditForm({ apiKey, onSaved, onCancel }: { apiKey: ApiKey; onSaved(): void; onCancel(): void }) {
  const initial = useMemo(() => editValuesOf(apiKey), [apiKey]);
  const resolver = useMemo(() => valibotResolver(editSchema(initial)), [initial]);
  const form = useForm<KeyEditValues, unknown, UpdateKeyRequest>({ defaultValues: initial, resolver });
  const update = useUpdateKey();

  return (
    <Form
      form={form}
      onSubmit={(body) => update.mutate({ id: apiKey.id, body }, { onSuccess: onSaved })}
      error={update.error}
      shownFields={SHOWN_FIELDS}
    >
      <TextField<KeyEditValues> name="name" label="Name" />
      <fieldset className="fieldset">
        <legend>Gateways this key opens</legend>
        {(Object.keys(SURFACE_LABELS) as Surface[]).map((surface) => (
          <CheckboxField<KeyEditValues> key={surface} name={`surfaces.${surface}`} label={SURFACE_LABELS[surface]} />
        ))}
        <GroupError<KeyEditValues> name="surfaces" />
      </fieldset>
      <div className="form-row">
        <TextField<KeyEditValues>
          name="allowedModels"
          label="Allowed models"
          hint="Names or patterns with *; empty: every model."
        />
        <TextField<KeyEditValues>
          name="allowedMcpTools"
          label="Allowed MCP tools"
          hint="Patterns such as github__*; empty: every tool."
        />
      </div>
      <CheckboxField<KeyEditValues>
        name="strictConversion"
        label="Strict conversion"
        hint="Refuse (400) parameters the upstream format cannot carry instead of dropping them, for every request with this key."
      />
      <div className="form-row">
        <TextField<KeyEditValues>
          name="expiresOn"
          label="Expires on (UTC)"
          placeholder="YYYY-MM-DD"
          hint="Empty: never expires."
        />
        <NumberField<KeyEditValues>
          name="inactivityTimeoutDays"
          label="Disable after unused for (days)"
          min={1}
          max={MAX_EXPIRY_DAYS}
          step={1}
          hint="Empty: never."
        />
        <NumberField<KeyEditValues>
          name="rotationPeriodDays"
          label="Rotate automatically every (days)"
          min={1}
          max={MAX_EXPIRY_DAYS}
          step={1}
          hint="Empty: never."
        />
      </div>
      <div className="form-actions">
        <SubmitButton pending={update.isPending} pendingLabel="Saving…">
          Save changes
        </SubmitButton>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Form>
  );
}
