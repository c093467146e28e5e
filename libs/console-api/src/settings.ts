/**
 * /api/admin/settings: the seven categories of system settings. The schemas are proto's (the same ones every
 * service reads the settings read-model with); PATCH takes any subset of one category's keys.
 */
import { SettingsSchema } from "@thinkwatch/proto";
import * as v from "valibot";

export {
  ApiKeySettingsSchema,
  AuditSettingsSchema,
  AuthSettingsSchema,
  DEFAULT_SETTINGS,
  GatewaySettingsSchema,
  GeneralSettingsSchema,
  PerformanceSettingsSchema,
  SETTINGS_CATEGORIES,
  SecuritySettingsSchema,
  type Settings,
  type SettingsCategory,
  SettingsSchema,
} from "@thinkwatch/proto";

export const SettingsResponseSchema = v.object({ settings: SettingsSchema });
export type SettingsResponse = v.InferOutput<typeof SettingsResponseSchema>;
