/**
 * The edit-key form: scopes, expiry, inactivity timeout and rotation period of an existing key. Values start from
 * the key; an expiry date left as it was is not sent (re-sending it would restart the expiry warnings).
 */
import type { Surface, UpdateKeyRequest } from "@thinkwatch/console-api";
import * as v from "valibot";
import { chosenSurfaces, OptionalDays, parseModelList, SurfacesSchema } from "./key-form-schema";
import type { ApiKey } from "./keys-api";

export interface KeyEditValues {
  name: string;
  surfaces: Record<Surface, boolean>;
  allowedModels: string;
  allowedMcpTools: string;
  strictConversion: boolean;
  /** `YYYY-MM-DD` (the key stops at the end of that day, UTC); empty: never expires. */
  expiresOn: string;
  inactivityTimeoutDays: string;
  rotationPeriodDays: string;
}

const dateOf = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString().slice(0, 10));
const days = (value: number | null) => (value === null ? "" : String(value));

export function editValuesOf(key: ApiKey): KeyEditValues {
  return {
    name: key.name,
    surfaces: {
      ai_gateway: key.surfaces.includes("ai_gateway"),
      mcp_gateway: key.surfaces.includes("mcp_gateway"),
      console: key.surfaces.includes("console"),
    },
    allowedModels: key.allowedModels?.join(", ") ?? "",
    allowedMcpTools: key.allowedMcpTools?.join(", ") ?? "",
    strictConversion: key.strictConversion,
    expiresOn: dateOf(key.expiresAt),
    inactivityTimeoutDays: days(key.inactivityTimeoutDays),
    rotationPeriodDays: days(key.rotationPeriodDays),
  };
}

/** The end of a `YYYY-MM-DD` day in UTC, in epoch ms. */
export function endOfDay(date: string): number {
  return Date.parse(`${date}T23:59:59.999Z`);
}

export function editSchema(initial: KeyEditValues) {
  return v.pipe(
    v.object({
      name: v.pipe(v.string(), v.trim(), v.minLength(1, "name is required")),
      surfaces: SurfacesSchema,
      allowedModels: v.string(),
      allowedMcpTools: v.string(),
      strictConversion: v.boolean(),
      expiresOn: v.pipe(
        v.string(),
        v.trim(),
        v.check((date) => date === "" || Number.isFinite(endOfDay(date)), "expiry must be a date"),
      ),
      inactivityTimeoutDays: OptionalDays("the inactivity timeout"),
      rotationPeriodDays: OptionalDays("the rotation period"),
    }),
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
    v.transform((values): UpdateKeyRequest => {
      const models = parseModelList(values.allowedModels);
      const tools = parseModelList(values.allowedMcpTools);
      const request: UpdateKeyRequest = {
        name: values.name,
        surfaces: chosenSurfaces(values.surfaces),
        allowedModels: models.length === 0 ? null : models,
        allowedMcpTools: tools.length === 0 ? null : tools,
        strictConversion: values.strictConversion,
        inactivityTimeoutDays: values.inactivityTimeoutDays === "" ? null : Number(values.inactivityTimeoutDays),
        rotationPeriodDays: values.rotationPeriodDays === "" ? null : Number(values.rotationPeriodDays),
      };
      if (values.expiresOn !== initial.expiresOn) {
        request.expiresAt = values.expiresOn === "" ? null : endOfDay(values.expiresOn);
      }
      return request;
    }),
  );
}
