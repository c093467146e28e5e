/**
 * The create-key form's values and their schema (used as the form's resolver): checks what the form itself can know
 * is wrong, every problem at once, and turns the raw inputs into the create-key request.
 */
import { type CreateKeyRequest, MAX_KEY_EXPIRY_DAYS, type Surface } from "@thinkwatch/console-api";
import * as v from "valibot";

export const MAX_EXPIRY_DAYS = MAX_KEY_EXPIRY_DAYS;

export interface KeyFormValues {
  name: string;
  surfaces: Record<Surface, boolean>;
  /** Model names separated by commas, spaces or new lines; empty means every model. */
  allowedModels: string;
  /** Whole days; empty means the key never expires. */
  expiresInDays: string;
}

export function emptyKeyForm(): KeyFormValues {
  return { name: "", surfaces: { ai_gateway: true, mcp_gateway: true }, allowedModels: "", expiresInDays: "" };
}

/** Unique model names in the order given. */
export function parseModelList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((name) => name !== ""))];
}

const EXPIRY_MESSAGE = `expiry must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}`;

export const KeyFormSchema = v.pipe(
  v.object({
    name: v.pipe(v.string(), v.trim(), v.minLength(1, "name is required")),
    surfaces: v.object({ ai_gateway: v.boolean(), mcp_gateway: v.boolean() }),
    allowedModels: v.string(),
    expiresInDays: v.pipe(
      v.string(),
      v.trim(),
      v.check(
        (days) => days === "" || (/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= MAX_EXPIRY_DAYS),
        EXPIRY_MESSAGE,
      ),
    ),
  }),
  // A partial check runs even when other fields failed, so the user sees every problem in one round.
  v.forward(
    v.partialCheck(
      [
        ["surfaces", "ai_gateway"],
        ["surfaces", "mcp_gateway"],
      ],
      (values) => values.surfaces.ai_gateway || values.surfaces.mcp_gateway,
      "choose at least one gateway",
    ),
    ["surfaces"],
  ),
  v.transform((values): CreateKeyRequest => {
    const models = parseModelList(values.allowedModels);
    const request: CreateKeyRequest = {
      name: values.name,
      surfaces: (Object.keys(values.surfaces) as Surface[]).filter((surface) => values.surfaces[surface]),
      allowedModels: models.length === 0 ? null : models,
    };
    if (values.expiresInDays !== "") request.expiresInDays = Number(values.expiresInDays);
    return request;
  }),
);
