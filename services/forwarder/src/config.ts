/** forwarder configuration: the bus (channels come from the config KV) and delivery timeouts. */
import { fields, natsEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const ForwarderConfigSchema = v.object({
  ...natsEntries,
  /** How long one webhook delivery may take before it counts as failed and is retried. */
  FORWARDER_WEBHOOK_TIMEOUT_MS: fields.positiveInt(10_000),
});
export type ForwarderConfig = v.InferOutput<typeof ForwarderConfigSchema>;
