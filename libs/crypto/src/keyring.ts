/**
 * AES-256-GCM encryption of secrets with a key id in every ciphertext. The current key encrypts; the current and any
 * previous keys decrypt, so ENCRYPTION_KEY can be rotated and old rows re-encrypted at leisure.
 * Format: `v1.<kid>.<iv>.<ciphertext>.<tag>` (base64url parts; kid = first 8 hex of SHA-256 of the key).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { sha256Hex } from "./hash.js";

const VERSION = "v1";
const IV_BYTES = 12;

export interface Keyring {
  /** Id of the key that encrypts new values. */
  readonly currentKeyId: string;
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  /** True when the value was encrypted under an older key and should be re-encrypted. */
  needsReencryption(ciphertext: string): boolean;
}

function keyIdOf(key: Buffer): string {
  return sha256Hex(key).slice(0, 8);
}

function parseKey(hex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error("an encryption key must be 64 hex characters");
  return Buffer.from(hex, "hex");
}

export function createKeyring(currentKeyHex: string, previousKeysHex: readonly string[] = []): Keyring {
  const current = parseKey(currentKeyHex);
  const currentKeyId = keyIdOf(current);
  const keys = new Map<string, Buffer>([[currentKeyId, current]]);
  for (const hex of previousKeysHex) {
    const key = parseKey(hex);
    keys.set(keyIdOf(key), key);
  }

  return {
    currentKeyId,
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current, iv);
      cipher.setAAD(Buffer.from(`${VERSION}.${currentKeyId}`));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, currentKeyId, iv.toString("base64url"), body.toString("base64url"), tag.toString("base64url")].join(".");
    },
    decrypt(ciphertext) {
      const parts = ciphertext.split(".");
      if (parts.length !== 5 || parts[0] !== VERSION) throw new Error("not a ThinkWatch ciphertext");
      const [, kid, iv, body, tag] = parts as [string, string, string, string, string];
      const key = keys.get(kid);
      if (key === undefined) throw new Error(`no key with id ${kid} is configured (ENCRYPTION_KEY / ENCRYPTION_PREVIOUS_KEYS)`);
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(`${VERSION}.${kid}`));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    },
    needsReencryption(ciphertext) {
      return ciphertext.split(".")[1] !== currentKeyId;
    },
  };
}
