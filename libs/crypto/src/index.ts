/** Secrets at rest (AES-256-GCM with a key id, so keys rotate) and virtual key generation and hashing. */

export { sha256Hex } from "./hash.js";
export { createKeyring, type Keyring } from "./keyring.js";
export {
  generateVirtualKey,
  hashVirtualKey,
  looksLikeVirtualKey,
  type MintedVirtualKey,
  mintVirtualKey,
  VIRTUAL_KEY_PREFIX,
  VISIBLE_PREFIX_LENGTH,
} from "./virtual-key.js";
