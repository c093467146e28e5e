/** Turns the key form's raw values into the create-key request, catching what the form itself can know is wrong. */
import type { FieldErrors } from "../api/api-error";
import type { CreateKeyRequest, Surface } from "../api/keys-api";

export interface KeyFormValues {
  name: string;
  surfaces: Record<Surface, boolean>;
  /** Model names separated by commas, spaces or new lines; empty means every model. */
  allowedModels: string;
  /** Whole days; empty means the key never expires. */
  expiresInDays: string;
}

export const MAX_EXPIRY_DAYS = 3650;

export function emptyKeyForm(): KeyFormValues {
  return { name: "", surfaces: { ai_gateway: true, mcp_gateway: true }, allowedModels: "", expiresInDays: "" };
}

/** Unique model names in the order given. */
export function parseModelList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((name) => name !== ""))];
}

export type KeyRequestResult = { ok: true; request: CreateKeyRequest } | { ok: false; fields: FieldErrors };

export function buildKeyRequest(values: KeyFormValues): KeyRequestResult {
  const fields: FieldErrors = {};
  const name = values.name.trim();
  if (name === "") fields.name = "name is required";

  const surfaces = (Object.keys(values.surfaces) as Surface[]).filter((surface) => values.surfaces[surface]);
  if (surfaces.length === 0) fields.surfaces = "choose at least one gateway";

  const request: CreateKeyRequest = { name, surfaces };
  const models = parseModelList(values.allowedModels);
  request.allowedModels = models.length === 0 ? null : models;

  const days = values.expiresInDays.trim();
  if (days !== "") {
    const parsed = Number(days);
    if (!/^\d+$/.test(days) || parsed < 1 || parsed > MAX_EXPIRY_DAYS) {
      fields.expiresInDays = `expiry must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}`;
    } else {
      request.expiresInDays = parsed;
    }
  }

  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, request };
}
