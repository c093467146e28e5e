/** The create-provider form: kind select with that kind's connection fields, an API key, and the models to route. */
import { type FormEvent, type ReactNode, useState } from "react";
import { invalidInput } from "../api/api-error";
import { createProvider, type Provider, type ProviderKind } from "../api/providers-api";
import { ErrorBanner } from "../forms/error-banner";
import { Field } from "../forms/field";
import { useSubmit } from "../hooks/use-submit";
import { useSession } from "../session/session-context";
import { PROVIDER_KINDS, providerKindSpec } from "./provider-kinds";
import {
  buildProviderRequest,
  emptyProviderForm,
  type ModelRow,
  missingProviderFields,
  type ProviderFormValues,
} from "./provider-request";

const SHOWN_FIELDS = ["name", "kind", "baseUrl", "apiKey", "settings.", "models."];

export interface ProviderFormProps {
  onCreated(provider: Provider): void;
  submitLabel?: string;
  /** Extra buttons next to submit (the setup wizard's "Skip"). */
  actions?: ReactNode;
}

export function ProviderForm({ onCreated, submitLabel = "Add provider", actions }: ProviderFormProps) {
  const { api } = useSession();
  const [values, setValues] = useState<ProviderFormValues>(() => emptyProviderForm());
  const submit = useSubmit(async (form: ProviderFormValues) => {
    const missing = missingProviderFields(form);
    if (Object.keys(missing).length > 0) throw invalidInput(missing);
    return createProvider(api, buildProviderRequest(form));
  });
  const spec = providerKindSpec(values.kind);
  const fields = submit.error?.fields ?? {};
  const modelErrors = Object.entries(fields).filter(([path]) => path.startsWith("models"));

  function update(patch: Partial<ProviderFormValues>) {
    setValues((current) => ({ ...current, ...patch }));
  }

  function updateModel(index: number, patch: Partial<ModelRow>) {
    setValues((current) => ({ ...current, models: current.models.map((row, i) => (i === index ? { ...row, ...patch } : row)) }));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const provider = await submit.run(values);
    if (provider === undefined) return;
    setValues(emptyProviderForm(values.kind));
    onCreated(provider);
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <ErrorBanner error={submit.error} shownFields={SHOWN_FIELDS} />
      <div className="form-row">
        <Field id="provider-name" label="Name" error={fields.name} hint="How the provider appears in the console and logs.">
          <input
            id="provider-name"
            value={values.name}
            onChange={(e) => update({ name: e.target.value })}
            placeholder="e.g. openai-prod"
            required
          />
        </Field>
        <Field id="provider-kind" label="Kind" error={fields.kind}>
          <select id="provider-kind" value={values.kind} onChange={(e) => update({ kind: e.target.value as ProviderKind })}>
            {PROVIDER_KINDS.map((kind) => (
              <option key={kind.kind} value={kind.kind}>
                {kind.label}
              </option>
            ))}
          </select>
        </Field>
      </div>

      <Field
        id="provider-base-url"
        label={spec.baseUrlRequired ? "Base URL" : "Base URL (optional)"}
        error={fields.baseUrl}
        hint={
          spec.defaultBaseUrl !== undefined
            ? `Leave empty for ${spec.defaultBaseUrl}.`
            : spec.baseUrlRequired
              ? undefined
              : "Leave empty to derive it from the region."
        }
      >
        <input
          id="provider-base-url"
          type="url"
          value={values.baseUrl}
          onChange={(e) => update({ baseUrl: e.target.value })}
          placeholder={spec.defaultBaseUrl ?? "https://…"}
        />
      </Field>

      {spec.settings.map((setting) => (
        <Field
          key={setting.key}
          id={`provider-setting-${setting.key}`}
          label={setting.label}
          error={fields[`settings.${setting.key}`]}
        >
          <input
            id={`provider-setting-${setting.key}`}
            value={values.settings[setting.key] ?? ""}
            onChange={(e) => update({ settings: { ...values.settings, [setting.key]: e.target.value } })}
            placeholder={setting.placeholder}
          />
        </Field>
      ))}

      <Field
        id="provider-api-key"
        label={spec.apiKeyRequired ? spec.apiKeyLabel : `${spec.apiKeyLabel} (optional)`}
        error={fields.apiKey}
        hint="Stored encrypted; the console never shows it again."
      >
        <input
          id="provider-api-key"
          type="password"
          autoComplete="off"
          value={values.apiKey}
          onChange={(e) => update({ apiKey: e.target.value })}
        />
      </Field>

      <fieldset className="fieldset">
        <legend>Models</legend>
        <p className="muted">
          The model name clients send, and optionally the provider's own name for it (for Azure, the deployment). Empty rows are
          ignored.
        </p>
        {values.models.map((row, index) => (
          // Rows have no identity beyond their position; they are only ever appended or removed.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <div className="model-row" key={index}>
            <input
              aria-label={`Model ${index + 1} name`}
              value={row.model}
              onChange={(e) => updateModel(index, { model: e.target.value })}
              placeholder={spec.modelPlaceholder}
            />
            <input
              aria-label={`Model ${index + 1} upstream name`}
              value={row.upstreamModel}
              onChange={(e) => updateModel(index, { upstreamModel: e.target.value })}
              placeholder="upstream name (optional)"
            />
            <button
              type="button"
              className="button-small button-quiet"
              onClick={() => update({ models: values.models.filter((_, i) => i !== index) })}
              disabled={values.models.length === 1}
            >
              Remove
            </button>
          </div>
        ))}
        {modelErrors.map(([path, message]) => (
          <div key={path} className="field-error" role="alert">
            {path}: {message}
          </div>
        ))}
        <button
          type="button"
          className="button-small"
          onClick={() => update({ models: [...values.models, { model: "", upstreamModel: "" }] })}
        >
          Add model
        </button>
      </fieldset>

      <div className="form-actions">
        <button type="submit" disabled={submit.pending}>
          {submit.pending ? "Saving…" : submitLabel}
        </button>
        {actions}
      </div>
    </form>
  );
}
