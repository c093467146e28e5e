/** The create-key form: name, which gateways the key opens, optional model allow-list and expiry. */
import { valibotResolver } from "@hookform/resolvers/valibot";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import { Form, SubmitButton } from "../components/form/form";
import { CheckboxField, GroupError, NumberField, TextField } from "../components/form/form-fields";
import { emptyKeyForm, KeyFormSchema, type KeyFormValues, MAX_EXPIRY_DAYS } from "./key-form-schema";
import { useCreateKey } from "./key-queries";
import type { CreatedKey, CreateKeyRequest, Surface } from "./keys-api";

const SHOWN_FIELDS = ["name", "surfaces", "surfaces.", "allowedModels", "allowedModels.", "expiresInDays"];
const resolver = valibotResolver(KeyFormSchema);

const SURFACE_LABELS: Record<Surface, string> = {
  ai_gateway: "AI gateway (/v1 model APIs)",
  mcp_gateway: "MCP gateway (/mcp tools)",
};

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
          placeholder="model-a, model-b"
          hint={
            knownModels.length > 0
              ? `Empty allows every model. Routed now: ${knownModels.join(", ")}`
              : "Empty allows every model."
          }
        />
        <NumberField<KeyFormValues>
          name="expiresInDays"
          label="Expires after (days, optional)"
          min={1}
          max={MAX_EXPIRY_DAYS}
          step={1}
          hint="Empty: never expires."
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
