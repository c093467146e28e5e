/**
 * Reusable field schemas for the variables several services share. Each message names what to do, because it is
 * printed verbatim to an operator whose process just refused to start.
 */
import * as v from "valibot";
import { shannonEntropyPerChar } from "./entropy.js";

const MIN_JWT_SECRET_LENGTH = 32;
const MIN_JWT_SECRET_ENTROPY = 3.5;

export function port(defaultPort: number) {
  return v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, "must be a port number (0-65535)"),
      v.transform(Number),
      v.number(),
      v.maxValue(65535, "must be a port number (0-65535)"),
    ),
    String(defaultPort),
  );
}

export function url(defaultUrl: string, protocols: readonly string[]) {
  return v.optional(
    v.pipe(
      v.string(),
      v.check(
        (value) => {
          try {
            return protocols.includes(new URL(value).protocol.replace(/:$/, ""));
          } catch {
            return false;
          }
        },
        `must be a URL starting with ${protocols.map((p) => `${p}://`).join(" or ")}`,
      ),
    ),
    defaultUrl,
  );
}

export function text(defaultValue: string) {
  return v.optional(v.string(), defaultValue);
}

export function positiveInt(defaultValue: number) {
  return v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, "must be a positive whole number"),
      v.transform(Number),
      v.number(),
      v.minValue(1, "must be at least 1"),
    ),
    String(defaultValue),
  );
}

export function bool(defaultValue: boolean) {
  return v.optional(
    v.pipe(
      v.string(),
      v.picklist(["true", "false", "1", "0"], "must be true or false"),
      v.transform((value) => value === "true" || value === "1"),
    ),
    String(defaultValue),
  );
}

export function logLevel() {
  return v.optional(
    v.picklist(
      ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
      "must be one of fatal, error, warn, info, debug, trace, silent",
    ),
    "info",
  );
}

/** A short identifier safe to embed in NATS subjects, Redis keys and stream names. */
export function namespace() {
  return v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9_]*$/, "must contain only a-z, 0-9 and _")), "");
}

export function jwtSecret() {
  return v.pipe(
    v.string("is required; generate one with: openssl rand -hex 32"),
    v.minLength(
      MIN_JWT_SECRET_LENGTH,
      `must be at least ${MIN_JWT_SECRET_LENGTH} characters; generate one with: openssl rand -hex 32`,
    ),
    v.check(
      (value) => shannonEntropyPerChar(value) >= MIN_JWT_SECRET_ENTROPY,
      "is too predictable (low entropy); generate a random one with: openssl rand -hex 32",
    ),
  );
}

export function encryptionKey() {
  return v.pipe(
    v.string("is required: 64 hex characters (32 bytes); generate one with: openssl rand -hex 32"),
    v.regex(/^[0-9a-fA-F]{64}$/, "must be exactly 64 hex characters (32 bytes); generate one with: openssl rand -hex 32"),
  );
}

/** Comma-separated 64-hex keys still accepted for decryption while secrets are re-encrypted under a new key. */
export function previousEncryptionKeys() {
  return v.optional(
    v.pipe(
      v.string(),
      v.transform((value) =>
        value
          .split(",")
          .map((part) => part.trim())
          .filter((part) => part.length > 0),
      ),
      v.array(v.pipe(v.string(), v.regex(/^[0-9a-fA-F]{64}$/, "each key must be 64 hex characters"))),
    ),
    "",
  );
}
