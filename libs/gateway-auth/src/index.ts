/** Virtual keys at the edges (ai-proxy, mcp-proxy): find the presented key, verify it with a cache in front of key-service. */

export { authenticateSurface } from "./authenticate-surface.js";
export { extractPresentedKey } from "./extract-key.js";
export { createKeyVerifier, type KeyVerifier, type KeyVerifierOptions } from "./key-verifier.js";
export { allowedByPatterns, matchesPattern } from "./name-patterns.js";
