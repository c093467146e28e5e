/** quota configuration: rules in PostgreSQL, counters in Redis, requests over NATS. */
import { databaseEntries, fields, natsEntries, redisEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const QuotaConfigSchema = v.object({
  ...natsEntries,
  ...databaseEntries,
  ...redisEntries,
  /** When Redis cannot be asked, allow the request (true, the default: keep AI traffic flowing) or refuse it. */
  QUOTA_FAIL_OPEN: fields.bool(true),
});
export type QuotaConfig = v.InferOutput<typeof QuotaConfigSchema>;
