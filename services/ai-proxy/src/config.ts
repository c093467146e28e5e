/**
 * ai-proxy configuration: the bus, Redis (circuit breakers and route caps shared by replicas), the key to decrypt
 * provider secrets, and the largest body. Timeouts, retries and breaker thresholds are gateway settings (console).
 */
import { encryptionEntries, fields, natsEntries, redisEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const AiProxyConfigSchema = v.object({
  ...natsEntries,
  ...redisEntries,
  ...encryptionEntries,
  /** Largest request body accepted, in bytes (images in base64 make bodies big; 32 MiB by default). */
  GATEWAY_MAX_BODY_BYTES: fields.positiveInt(32 * 1024 * 1024),
  /**
   * How long a request waits for quota's decision. Past it (or when no quota instance answers) the fail policy
   * `security.rateLimitFailClosed` applies: through unchecked (default) or 429 rate_limiter_unavailable; one warning
   * per interval either way.
   */
  QUOTA_CHECK_TIMEOUT_MS: fields.positiveInt(2000),
});
export type AiProxyConfig = v.InferOutput<typeof AiProxyConfigSchema>;
