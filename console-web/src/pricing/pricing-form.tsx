/**
 * Edit one model's prices (USD per million tokens) and quota multipliers, or price a model the shipped table lacks.
 * Checked as typed; the API's field errors land next to the same inputs.
 */
import { valibotResolver } from "@hookform/resolvers/valibot";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import * as v from "valibot";
import { Form, SubmitButton } from "../components/form/form";
import { NumberField, TextField } from "../components/form/form-fields";
import type { ModelPricing, ModelPricingBody } from "./pricing-api";
import { useSetModelPricing } from "./pricing-queries";

interface Values {
  model: string;
  inputPerMTok: string;
  outputPerMTok: string;
  cachedInputPerMTok: string;
  inputMultiplier: string;
  outputMultiplier: string;
}

const number = (what: string) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.check((text) => /^\d+(\.\d+)?$/.test(text), `${what} must be a number ≥ 0`),
  );

const Schema = v.pipe(
  v.object({
    model: v.pipe(v.string(), v.trim(), v.minLength(1, "model is required")),
    inputPerMTok: number("input price"),
    outputPerMTok: number("output price"),
    cachedInputPerMTok: v.pipe(
      v.string(),
      v.trim(),
      v.check((text) => text === "" || /^\d+(\.\d+)?$/.test(text), "cached input price must be a number ≥ 0 or empty"),
    ),
    inputMultiplier: number("input multiplier"),
    outputMultiplier: number("output multiplier"),
  }),
  v.transform((values): { model: string; body: ModelPricingBody } => ({
    model: values.model,
    body: {
      inputPerMTok: Number(values.inputPerMTok),
      outputPerMTok: Number(values.outputPerMTok),
      cachedInputPerMTok: values.cachedInputPerMTok === "" ? null : Number(values.cachedInputPerMTok),
      inputMultiplier: Number(values.inputMultiplier),
      outputMultiplier: Number(values.outputMultiplier),
    },
  })),
);
const resolver = valibotResolver(Schema);

function valuesOf(pricing: ModelPricing | null): Values {
  return {
    model: pricing?.model ?? "",
    inputPerMTok: pricing === null ? "" : String(pricing.inputPerMTok),
    outputPerMTok: pricing === null ? "" : String(pricing.outputPerMTok),
    cachedInputPerMTok: pricing?.cachedInputPerMTok == null ? "" : String(pricing.cachedInputPerMTok),
    inputMultiplier: String(pricing?.inputMultiplier ?? 1),
    outputMultiplier: String(pricing?.outputMultiplier ?? 1),
  };
}

export function PricingForm({
  pricing,
  onSaved,
  actions,
}: {
  pricing: ModelPricing | null;
  onSaved(): void;
  actions?: ReactNode;
}) {
  const form = useForm<Values, unknown, { model: string; body: ModelPricingBody }>({
    defaultValues: valuesOf(pricing),
    resolver,
    mode: "onChange",
  });
  const save = useSetModelPricing();
  return (
    <Form
      form={form}
      onSubmit={(request) => save.mutate(request, { onSuccess: onSaved })}
      error={save.error}
      shownFields={["model", "inputPerMTok", "outputPerMTok", "cachedInputPerMTok", "inputMultiplier", "outputMultiplier"]}
    >
      {pricing === null && <TextField<Values> name="model" label="Model" hint="The name clients send, e.g. gpt-4o" />}
      <div className="form-row">
        <NumberField<Values> name="inputPerMTok" label="Input $ / 1M tokens" min={0} step={0.001} />
        <NumberField<Values> name="cachedInputPerMTok" label="Cached input $ / 1M (optional)" min={0} step={0.001} />
        <NumberField<Values> name="outputPerMTok" label="Output $ / 1M tokens" min={0} step={0.001} />
      </div>
      <div className="form-row">
        <NumberField<Values>
          name="inputMultiplier"
          label="Input multiplier"
          min={0}
          step={0.1}
          hint="Weighted tokens = raw × multiplier (1.0: quotas count raw tokens)."
        />
        <NumberField<Values> name="outputMultiplier" label="Output multiplier" min={0} step={0.1} />
      </div>
      <div className="form-actions">
        <SubmitButton pending={save.isPending} pendingLabel="Saving…">
          Save price
        </SubmitButton>
        {actions}
      </div>
    </Form>
  );
}
