/** quota configuration: rules in PostgreSQL, counters in Redis, requests over NATS. */
import { databaseEntries, fields, natsEntries, redisEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const QuotaConfigSchema = v.object({
  ...natsEntries,
  ...databaseEntries,
  ...redisEntries,
  /** How long a budget reservation holds if its request is never settled (the gateway died mid-request). */
  QUOTA_RESERVATION_TTL_SECONDS: fields.positiveInt(3600),
  /** How long a settled event id is remembered so a JetStream redelivery is not counted twice. */
  QUOTA_SETTLED_MEMORY_SECONDS: fields.positiveInt(6 * 3600),
});
export type QuotaConfig = v.InferOutput<typeof QuotaConfigSchema>;
