/** forwarder configuration: the bus (channels come from the config KV), the key that decrypts channel secrets, timeouts. */
import { encryptionEntries, fields, natsEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const ForwarderConfigSchema = v.object({
  ...natsEntries,
  ...encryptionEntries,
  /** How long one delivery (webhook request, syslog connect, Kafka acknowledgement) may take before it is retried. */
  FORWARDER_WEBHOOK_TIMEOUT_MS: fields.positiveInt(10_000),
});
export type ForwarderConfig = v.InferOutput<typeof ForwarderConfigSchema>;
