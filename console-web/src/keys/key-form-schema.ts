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
  /** Model names or patterns (`gpt-4o*`) separated by commas, spaces or new lines; empty means every model. */
  allowedModels: string;
  /** MCP tool patterns (`github__*`); empty means every tool. */
  allowedMcpTools: string;
  /** Refuse what a converted request cannot carry instead of dropping it. */
  strictConversion: boolean;
  /** Whole days; empty means the key never expires (or the default expiry from settings applies). */
  expiresInDays: string;
  /** Whole days without use before the key is disabled; empty: never. */
  inactivityTimeoutDays: string;
  /** Whole days after which the key is rotated automatically; empty: never. */
  rotationPeriodDays: string;
}

export function emptyKeyForm(): KeyFormValues {
  return {
    name: "",
    surfaces: { ai_gateway: true, mcp_gateway: true, console: false },
    allowedModels: "",
    allowedMcpTools: "",
    strictConversion: false,
    expiresInDays: "",
    inactivityTimeoutDays: "",
    rotationPeriodDays: "",
  };
}

/** Unique names in the order given. */
export function parseModelList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((name) => name !== ""))];
}

/** An optional whole number of days from 1 to the maximum, as typed. */
export const OptionalDays = (what: string) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.check(
      (days) => days === "" || (/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= MAX_EXPIRY_DAYS),
      `${what} must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}`,
    ),
  );

export const SurfacesSchema = v.object({ ai_gateway: v.boolean(), mcp_gateway: v.boolean(), console: v.boolean() });

export function chosenSurfaces(surfaces: Record<Surface, boolean>): Surface[] {
  return (Object.keys(surfaces) as Surface[]).filter((surface) => surfaces[surface]);
}

export const KeyFormSchema = v.pipe(
  v.object({
    name: v.pipe(v.string(), v.trim(), v.minLength(1, "name is required")),
    surfaces: SurfacesSchema,
    allowedModels: v.string(),
    allowedMcpTools: v.string(),
    strictConversion: v.boolean(),
    expiresInDays: OptionalDays("expiry"),
    inactivityTimeoutDays: OptionalDays("the inactivity timeout"),
    rotationPeriodDays: OptionalDays("the rotation period"),
  }),
  // A partial check runs even when other fields failed, so the user sees every problem in one round.
  v.forward(
    v.partialCheck(
      [
        ["surfaces", "ai_gateway"],
        ["surfaces", "mcp_gateway"],
        ["surfaces", "console"],
      ],
      (values) => chosenSurfaces(values.surfaces).length > 0,
      "choose at least one gateway",
    ),
    ["surfaces"],
  ),
  v.transform((values): CreateKeyRequest => {
    const models = parseModelList(values.allowedModels);
    const tools = parseModelList(values.allowedMcpTools);
    const request: CreateKeyRequest = {
      name: values.name,
      surfaces: chosenSurfaces(values.surfaces),
      allowedModels: models.length === 0 ? null : models,
    };
    if (tools.length > 0) request.allowedMcpTools = tools;
    if (values.strictConversion) request.strictConversion = true;
    if (values.expiresInDays !== "") request.expiresInDays = Number(values.expiresInDays);
    if (values.inactivityTimeoutDays !== "") request.inactivityTimeoutDays = Number(values.inactivityTimeoutDays);
    if (values.rotationPeriodDays !== "") request.rotationPeriodDays = Number(values.rotationPeriodDays);
    return request;
  }),
);
