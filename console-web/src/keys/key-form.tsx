/** The create-key form: name, which gateways the key opens, optional model allow-list and expiry. */
import { type FormEvent, type ReactNode, useState } from "react";
import { invalidInput } from "../api/api-error";
import { type CreatedKey, createKey, type Surface } from "../api/keys-api";
import { ErrorBanner } from "../forms/error-banner";
import { Field } from "../forms/field";
import { useSubmit } from "../hooks/use-submit";
import { useSession } from "../session/session-context";
import { buildKeyRequest, emptyKeyForm, type KeyFormValues, MAX_EXPIRY_DAYS } from "./key-request";

const SHOWN_FIELDS = ["name", "surfaces", "surfaces.", "allowedModels", "allowedModels.", "expiresInDays"];

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
  const { api } = useSession();
  const [values, setValues] = useState<KeyFormValues>(emptyKeyForm);
  const submit = useSubmit(async (form: KeyFormValues) => {
    const built = buildKeyRequest(form);
    if (!built.ok) throw invalidInput(built.fields);
    return createKey(api, built.request);
  });
  const fields = submit.error?.fields ?? {};

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const created = await submit.run(values);
    if (created === undefined) return;
    setValues(emptyKeyForm());
    onCreated(created);
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <ErrorBanner error={submit.error} shownFields={SHOWN_FIELDS} />
      <Field
        id="key-name"
        label="Name"
        error={fields.name}
        hint="Say where the key is used, e.g. “ci-pipeline” or “alice-laptop”."
      >
        <input id="key-name" value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} required />
      </Field>

      <fieldset className="fieldset">
        <legend>Gateways this key opens</legend>
        {(Object.keys(SURFACE_LABELS) as Surface[]).map((surface) => (
          <label key={surface} className="checkbox">
            <input
              type="checkbox"
              checked={values.surfaces[surface]}
              onChange={(e) => setValues({ ...values, surfaces: { ...values.surfaces, [surface]: e.target.checked } })}
            />
            {SURFACE_LABELS[surface]}
          </label>
        ))}
        {fields.surfaces !== undefined && (
          <div className="field-error" role="alert">
            {fields.surfaces}
          </div>
        )}
      </fieldset>

      <div className="form-row">
        <Field
          id="key-models"
          label="Allowed models (optional)"
          error={fields.allowedModels}
          hint={
            knownModels.length > 0
              ? `Empty allows every model. Routed now: ${knownModels.join(", ")}`
              : "Empty allows every model."
          }
        >
          <input
            id="key-models"
            value={values.allowedModels}
            onChange={(e) => setValues({ ...values, allowedModels: e.target.value })}
            placeholder="model-a, model-b"
          />
        </Field>
        <Field id="key-expiry" label="Expires after (days, optional)" error={fields.expiresInDays} hint="Empty: never expires.">
          <input
            id="key-expiry"
            type="number"
            min={1}
            max={MAX_EXPIRY_DAYS}
            step={1}
            inputMode="numeric"
            value={values.expiresInDays}
            onChange={(e) => setValues({ ...values, expiresInDays: e.target.value })}
          />
        </Field>
      </div>

      <div className="form-actions">
        <button type="submit" disabled={submit.pending}>
          {submit.pending ? "Creating…" : submitLabel}
        </button>
        {actions}
      </div>
    </form>
  );
}
