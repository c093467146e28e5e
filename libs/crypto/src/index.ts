/** Secrets at rest (AES-256-GCM with a key id, so keys rotate) and virtual key generation and hashing. */

export { sha256Hex } from "./hash.js";
export { createKeyring, type Keyring } from "./keyring.js";
export { generateVirtualKey, hashVirtualKey, looksLikeVirtualKey, VIRTUAL_KEY_PREFIX } from "./virtual-key.js";
