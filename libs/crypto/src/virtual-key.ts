/** Virtual keys: `tw-` plus 40 base62 characters (~238 bits). Only the SHA-256 hash is ever stored. */
import { randomBytes } from "node:crypto";
import { sha256Hex } from "./hash.js";

export const VIRTUAL_KEY_PREFIX = "tw-";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 40;

export function generateVirtualKey(): string {
  let body = "";
  // Rejection sampling keeps the distribution uniform: 248 = 4 * 62.
  while (body.length < BODY_LENGTH) {
    for (const byte of randomBytes(BODY_LENGTH * 2)) {
      if (byte < 248 && body.length < BODY_LENGTH) body += ALPHABET[byte % 62];
    }
  }
  return VIRTUAL_KEY_PREFIX + body;
}

export function hashVirtualKey(plaintext: string): string {
  return sha256Hex(plaintext);
}

export function looksLikeVirtualKey(value: string): boolean {
  return value.startsWith(VIRTUAL_KEY_PREFIX) && /^tw-[0-9A-Za-z]{40}$/.test(value);
}

/** How many leading characters of a key are kept and shown so people can tell keys apart (`tw-AbCd`). */
export const VISIBLE_PREFIX_LENGTH = 7;

export interface MintedVirtualKey {
  plaintext: string;
  keyHash: string;
  keyPrefix: string;
}

/** A fresh key with what may be stored of it: the hash and the visible prefix. */
export function mintVirtualKey(): MintedVirtualKey {
  const plaintext = generateVirtualKey();
  return { plaintext, keyHash: hashVirtualKey(plaintext), keyPrefix: plaintext.slice(0, VISIBLE_PREFIX_LENGTH) };
}
