/** A fresh `tw-` key: the plaintext (returned once, never stored), its hash and the prefix shown in lists. */
import { generateVirtualKey, hashVirtualKey } from "@thinkwatch/crypto";

const VISIBLE_PREFIX_LENGTH = 7;

export interface MintedKey {
  plaintext: string;
  keyHash: string;
  keyPrefix: string;
}

export function mintKey(): MintedKey {
  const plaintext = generateVirtualKey();
  return { plaintext, keyHash: hashVirtualKey(plaintext), keyPrefix: plaintext.slice(0, VISIBLE_PREFIX_LENGTH) };
}
