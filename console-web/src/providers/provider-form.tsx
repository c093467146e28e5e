/**
 * The create-provider form: kind select with that kind's connection fields, an API key, and the models to route.
 * Used by the Providers page (in a dialog) and by the setup wizard.
 */
import { type ReactNode, useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { checkResolver } from "../components/form/check-resolver";
import { Form, SubmitButton } from "../components/form/form";
import { CheckboxField, GroupError, SelectField, TextField } from "../components/form/form-fields";
import { PROVIDER_KINDS, providerKindSpec } from "./provider-kinds";
import { useCreateProvider } from "./provider-queries";
import { buildProviderRequest, emptyProviderForm, missingProviderFields, type ProviderFormValues } from "./provider-request";
import type { Provider } from "./providers-api";

const SHOWN_FIELDS = ["name", "kind", "baseUrl", "apiKey", "settings.", "models."];
// The Responses settings have inputs of their own (a checkbox and a comma-separated list), not settings.<key> ones.
const RENAME = { "settings.responsesApi": "responsesApi", "settings.responsesModels": "responsesModels" };
const KIND_CHOICES = PROVIDER_KINDS.map((kind) => ({ value: kind.kind, label: kind.label }));
const resolver = checkResolver(missingProviderFields);

export interface ProviderFormProps {
  onCreated(provider: Provider): void;
  submitLabel?: string;
  /** Extra buttons next to submit (the setup wizard's "Skip", a dialog's "Cancel"). */
  actions?: ReactNode;
}

export function ProviderForm({ onCreated, submitLabel = "Add provider", actions }: ProviderFormProps) {
  const [defaults] = useState(() => emptyProviderForm());
  const form = useForm<ProviderFormValues>({ defaultValues: defaults, resolver });
  const models = useFieldArray({ control: form.control, name: "models" });
  const create = useCreateProvider();
  const spec = providerKindSpec(form.watch("kind"));

  function onSubmit(values: ProviderFormValues) {
    create.mutate(buildProviderRequest(values), {
      onSuccess: (provider) => {
        form.reset(emptyProviderForm(values.kind));
        onCreated(provider);
      },
    });
  }

  return (
    <Form form={form} onSubmit={onSubmit} error={create.error} shownFields={SHOWN_FIELDS} rename={RENAME}>
      <div className="form-row">
        <TextField<ProviderFormValues>
          name="name"
          label="Name"
          hint="How the provider appears in the console and logs."
          placeholder="e.g. openai-prod"
        />
        <SelectField<ProviderFormValues> name="kind" label="Kind" choices={KIND_CHOICES} />
      </div>

      <TextField<ProviderFormValues>
        name="baseUrl"
        type="url"
        label={spec.baseUrlRequired ? "Base URL" : "Base URL (optional)"}
        placeholder={spec.defaultBaseUrl ?? "https://…"}
        hint={
          spec.defaultBaseUrl !== undefined
            ? `Leave empty for ${spec.defaultBaseUrl}.`
            : spec.baseUrlRequired
              ? undefined
              : "Leave empty to derive it from the region."
        }
      />

      {spec.settings.map((setting) => (
        <TextField<ProviderFormValues>
          key={setting.key}
          name={`settings.${setting.key}`}
          label={setting.label}
          placeholder={setting.placeholder}
        />
      ))}

      {spec.responsesApi === "optional" && (
        <CheckboxField<ProviderFormValues>
          name="responsesApi"
          label="Speaks the OpenAI Responses API"
          hint="The server also serves /responses (as vLLM does): Responses clients and reasoning requests go there."
        />
      )}
      {spec.responsesApi !== "never" && (
        <TextField<ProviderFormValues>
          name="responsesModels"
          label="Responses-only models (optional)"
          placeholder="e.g. house-codex*, my-pro-deployment"
          hint="Upstream model names or patterns with *, comma-separated, that exist only on the Responses API; added to the gateway's list."
        />
      )}

      <TextField<ProviderFormValues>
        name="apiKey"
        type="password"
        autoComplete="off"
        label={spec.apiKeyRequired ? spec.apiKeyLabel : `${spec.apiKeyLabel} (optional)`}
        hint="Stored encrypted; the console never shows it again."
      />

      <fieldset className="fieldset">
        <legend>Models</legend>
        <p className="field-hint">
          The model name clients send, and optionally the provider's own name for it (for Azure, the deployment). Empty rows are
          ignored.
        </p>
        {models.fields.map((row, index) => (
          <div className="model-row" key={row.id}>
            <input
              aria-label={`Model ${index + 1} name`}
              placeholder={spec.modelPlaceholder}
              {...form.register(`models.${index}.model`)}
            />
            <input
              aria-label={`Model ${index + 1} upstream name`}
              placeholder="upstream name (optional)"
              {...form.register(`models.${index}.upstreamModel`)}
            />
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => models.remove(index)}
              disabled={models.fields.length === 1}
            >
              Remove
            </button>
            <GroupError<ProviderFormValues> name={`models.${index}.model`} />
          </div>
        ))}
        <GroupError<ProviderFormValues> name="models" />
        <div>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => models.append({ model: "", upstreamModel: "" })}
          >
            Add model
          </button>
        </div>
      </fieldset>

      <div className="form-actions">
        <SubmitButton pending={create.isPending}>{submitLabel}</SubmitButton>
        {actions}
      </div>
    </Form>
  );
}
