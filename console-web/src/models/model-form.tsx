/**
 * Create a model or edit its routes: one row per route (provider, upstream name, weight, priority, caps, enabled).
 * Routes of the best priority share traffic by weight; later priorities serve only when those cannot.
 */
import type { ReactNode } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { checkResolver } from "../components/form/check-resolver";
import { Form, SubmitButton } from "../components/form/form";
import { GroupError, TextField } from "../components/form/form-fields";
import type { Provider } from "../providers/providers-api";
import { emptyRoute, type ModelFormValues, modelFormProblems, routeRequests } from "./model-form-values";
import { useCreateModel, useUpdateModel } from "./model-queries";
import type { ModelView } from "./models-api";

const SHOWN_FIELDS = ["model", "routes."];
const resolver = checkResolver(modelFormProblems);

export interface ModelFormProps {
  providers: readonly Provider[];
  /** Editing this model; absent: creating one. */
  model?: ModelView;
  initial: ModelFormValues;
  onDone(): void;
  actions?: ReactNode;
}

export function ModelForm({ providers, model, initial, onDone, actions }: ModelFormProps) {
  const form = useForm<ModelFormValues>({ defaultValues: initial, resolver });
  const routes = useFieldArray({ control: form.control, name: "routes" });
  const create = useCreateModel();
  const update = useUpdateModel();
  const mutation = model === undefined ? create : update;

  function onSubmit(values: ModelFormValues) {
    if (model === undefined) create.mutate({ model: values.model.trim(), routes: routeRequests(values) }, { onSuccess: onDone });
    else update.mutate({ id: model.id, routes: routeRequests(values) }, { onSuccess: onDone });
  }

  return (
    <Form form={form} onSubmit={onSubmit} error={mutation.error} shownFields={SHOWN_FIELDS} label="Model routes">
      {model === undefined && (
        <TextField<ModelFormValues> name="model" label="Model name" hint="The name clients send." placeholder="e.g. gpt-4o" />
      )}
      <fieldset className="fieldset">
        <legend>Routes</legend>
        <p className="field-hint">
          Priority 0 is tried first; routes of one priority share traffic by weight. A failing route falls back to the next; a
          route at its per-minute cap is skipped. Empty caps mean no cap.
        </p>
        {routes.fields.map((row, index) => (
          <div className="route-row" key={row.id} data-testid={`route-${index}`}>
            <label>
              <span>Provider</span>
              <select aria-label={`Route ${index + 1} provider`} {...form.register(`routes.${index}.providerId`)}>
                <option value="">Choose…</option>
                {providers.map((provider) => (
                  <option key={provider.id} value={provider.id}>
                    {provider.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>Upstream model</span>
              <input
                aria-label={`Route ${index + 1} upstream model`}
                placeholder="same as the model"
                {...form.register(`routes.${index}.upstreamModel`)}
              />
            </label>
            <label>
              <span>Weight</span>
              <input aria-label={`Route ${index + 1} weight`} inputMode="numeric" {...form.register(`routes.${index}.weight`)} />
            </label>
            <label>
              <span>Priority</span>
              <input
                aria-label={`Route ${index + 1} priority`}
                inputMode="numeric"
                {...form.register(`routes.${index}.priority`)}
              />
            </label>
            <label>
              <span>Requests/min</span>
              <input
                aria-label={`Route ${index + 1} requests per minute`}
                inputMode="numeric"
                placeholder="no cap"
                {...form.register(`routes.${index}.rpmLimit`)}
              />
            </label>
            <label>
              <span>Tokens/min</span>
              <input
                aria-label={`Route ${index + 1} tokens per minute`}
                inputMode="numeric"
                placeholder="no cap"
                {...form.register(`routes.${index}.tpmLimit`)}
              />
            </label>
            <label className="route-enabled">
              <input type="checkbox" aria-label={`Route ${index + 1} enabled`} {...form.register(`routes.${index}.enabled`)} />
              <span>Enabled</span>
            </label>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => routes.remove(index)}
              disabled={routes.fields.length === 1}
            >
              Remove
            </button>
            {(["providerId", "weight", "priority", "rpmLimit", "tpmLimit", "upstreamModel"] as const).map((field) => (
              <GroupError<ModelFormValues> key={field} name={`routes.${index}.${field}`} />
            ))}
          </div>
        ))}
        <GroupError<ModelFormValues> name="routes" />
        <div>
          <button type="button" className="button button-secondary button-small" onClick={() => routes.append(emptyRoute())}>
            Add route
          </button>
        </div>
      </fieldset>
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending}>{model === undefined ? "Add model" : "Save routes"}</SubmitButton>
        {actions}
      </div>
    </Form>
  );
}
