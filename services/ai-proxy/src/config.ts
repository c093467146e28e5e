/** ai-proxy configuration: the bus, the key to decrypt provider secrets, and gateway limits. */
import { encryptionEntries, fields, natsEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const AiProxyConfigSchema = v.object({
  ...natsEntries,
  ...encryptionEntries,
  /** Largest request body accepted, in bytes (images in base64 make bodies big; 32 MiB by default). */
  GATEWAY_MAX_BODY_BYTES: fields.positiveInt(32 * 1024 * 1024),
  /** Time allowed for an upstream to send response headers / the first byte. */
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: fields.positiveInt(120_000),
  /** Longest silence allowed inside an upstream stream before it is treated as dead. */
  UPSTREAM_IDLE_TIMEOUT_MS: fields.positiveInt(300_000),
  /**
   * How long a request waits for quota's decision. Past it (or when no quota instance answers) the fail policy
   * `security.rateLimitFailClosed` applies: through unchecked (default) or 429 rate_limiter_unavailable; one warning
   * per interval either way.
   */
  QUOTA_CHECK_TIMEOUT_MS: fields.positiveInt(2000),
});
export type AiProxyConfig = v.InferOutput<typeof AiProxyConfigSchema>;
