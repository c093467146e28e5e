/**
 * The create-key form: name, which gateways the key opens, optional model and MCP tool patterns, strict conversion,
 * expiry, inactivity timeout and rotation period.
 */
import { valibotResolver } from "@hookform/resolvers/valibot";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import { Form, SubmitButton } from "../components/form/form";
import { CheckboxField, GroupError, NumberField, TextField } from "../components/form/form-fields";
import { emptyKeyForm, KeyFormSchema, type KeyFormValues, MAX_EXPIRY_DAYS } from "./key-form-schema";
import { useCreateKey } from "./key-queries";
import type { CreatedKey, CreateKeyRequest, Surface } from "./keys-api";
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
  "expiresInDays",
  "inactivityTimeoutDays",
  "rotationPeriodDays",
];
const resolver = valibotResolver(KeyFormSchema);

export interface KeyFormProps {
  onCreated(created: CreatedKey): void;
  /** Model names the gateway routes, offered as suggestions. */
  knownModels?: readonly string[];
  submitLabel?: string;
  actions?: ReactNode;
}

export function KeyForm({ onCreated, knownModels = [], submitLabel = "Create key", actions }: KeyFormProps) {
  // criteriaMode "all" makes the valibot resolver run cross-field checks (surfaces) even when another field failed.
  const form = useForm<KeyFormValues, unknown, CreateKeyRequest>({
    defaultValues: emptyKeyForm(),
    resolver,
    criteriaMode: "all",
  });
  const create = useCreateKey();

  function onSubmit(request: CreateKeyRequest) {
    create.mutate(request, {
      onSuccess: (created) => {
        form.reset(emptyKeyForm());
        onCreated(created);
      },
    });
  }

  return (
    <Form form={form} onSubmit={onSubmit} error={create.error} shownFields={SHOWN_FIELDS}>
      <TextField<KeyFormValues>
        name="name"
        label="Name"
        hint="Say where the key is used, e.g. “ci-pipeline” or “alice-laptop”."
      />

      <fieldset className="fieldset">
        <legend>Gateways this key opens</legend>
        {(Object.keys(SURFACE_LABELS) as Surface[]).map((surface) => (
          <CheckboxField<KeyFormValues> key={surface} name={`surfaces.${surface}`} label={SURFACE_LABELS[surface]} />
        ))}
        <GroupError<KeyFormValues> name="surfaces" />
      </fieldset>

      <div className="form-row">
        <TextField<KeyFormValues>
          name="allowedModels"
          label="Allowed models (optional)"
          placeholder="gpt-4o*, claude-sonnet-4-5"
          hint={
            knownModels.length > 0
              ? `Empty allows every model. Routed now: ${knownModels.join(", ")}`
              : "Empty allows every model; patterns such as gpt-4o* match by prefix."
          }
        />
        <TextField<KeyFormValues>
          name="allowedMcpTools"
          label="Allowed MCP tools (optional)"
          placeholder="github__*, postgres__query"
          hint="Tool names or patterns with *; empty allows every tool."
        />
      </div>

      <CheckboxField<KeyFormValues>
        name="strictConversion"
        label="Strict conversion"
        hint="Refuse (400) parameters the upstream format cannot carry instead of dropping them, for every request with this key."
      />

      <div className="form-row">
        <NumberField<KeyFormValues>
          name="expiresInDays"
          label="Expires after (days, optional)"
          min={1}
          max={MAX_EXPIRY_DAYS}
          step={1}
          hint="Empty: the default from settings (or never)."
        />
        <NumberField<KeyFormValues>
          name="inactivityTimeoutDays"
          label="Disable after unused for (days, optional)"
          min={1}
          max={MAX_EXPIRY_DAYS}
          step={1}
          hint="Empty: the default from settings (or never)."
        />
        <NumberField<KeyFormValues>
          name="rotationPeriodDays"
          label="Rotate automatically every (days, optional)"
          min={1}
          max={MAX_EXPIRY_DAYS}
          step={1}
          hint="The new key is shown once on this page."
        />
      </div>

      <div className="form-actions">
        <SubmitButton pending={create.isPending} pendingLabel="Creating…">
          {submitLabel}
        </SubmitButton>
        {actions}
      </div>
    </Form>
  );
}
