/**
 * Admission at the edges (ai-proxy, mcp-proxy): find the presented virtual key and verify it with a cache in front of
 * key-service; ask quota (batched, with the fail policy) only when the rule index says a rule can apply; bound the
 * memory and concurrency of what a key sends (intake limits).
 */

export { authenticateSurface, authenticateSurfaceNow, type PresentedRequest } from "./authenticate-surface.js";
export { extractPresentedKey, type HeaderLookup } from "./extract-key.js";
export {
  BODY_MEMORY_FACTOR,
  createIntakeLimits,
  type IntakeLease,
  type IntakeLimits,
  type IntakeSettings,
} from "./intake-limits.js";
export { createKeyVerifier, type KeyVerifier, type KeyVerifierOptions } from "./key-verifier.js";
export { allowedByPatterns, matchesPattern } from "./name-patterns.js";
export { createQuotaClient, type QuotaClient, type QuotaClientOptions } from "./quota-client.js";
export { type QuotaIndexHolder, watchQuotaIndex } from "./quota-index-watch.js";
