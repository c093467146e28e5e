/** key-service configuration: its database, the bus, the keyring (sealing auto-rotated keys), the enforcer's pace. */
import { databaseEntries, encryptionEntries, fields, natsEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const KeyServiceConfigSchema = v.object({
  ...natsEntries,
  ...databaseEntries,
  ...encryptionEntries,
  /** How often the lifecycle enforcer runs (expiry, warnings, inactivity, automatic rotation, purge). */
  KEY_ENFORCER_INTERVAL_MS: fields.positiveInt(30_000),
});
export type KeyServiceConfig = v.InferOutput<typeof KeyServiceConfigSchema>;
