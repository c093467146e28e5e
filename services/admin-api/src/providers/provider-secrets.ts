/**
 * A provider's secrets as the API may show them: never the values, only whether they exist, a hint (`sk-…1234`)
 * and the names of secret headers. Decrypting here also tells whether the configured keys can still read them; a
 * provider whose secret cannot be decrypted is `degraded`, with the reason, instead of vanishing from the list.
 */
import type { Keyring } from "@thinkwatch/crypto";
import * as v from "valibot";
import type { ProviderRecord } from "./provider-store.js";

const SecretHeadersSchema = v.record(v.string(), v.string());

export type ProviderStatus = "active" | "inactive" | "degraded";

export interface ProviderSecretView {
  hasApiKey: boolean;
  /** First three and last four characters of a long key, `…` between; just `…` for short keys. */
  apiKeyHint: string | null;
  secretHeaderNames: string[];
  status: ProviderStatus;
  statusReason: string | null;
}

export function maskSecret(secret: string): string {
  return secret.length >= 16 ? `${secret.slice(0, 3)}…${secret.slice(-4)}` : "…";
}

export function encryptSecretHeaders(keyring: Keyring, headers: Record<string, string> | null): string | null {
  return headers === null || Object.keys(headers).length === 0 ? null : keyring.encrypt(JSON.stringify(headers));
}

export function decryptSecretHeaders(keyring: Keyring, ciphertext: string): Record<string, string> {
  return v.parse(SecretHeadersSchema, JSON.parse(keyring.decrypt(ciphertext)));
}

export function providerSecretView(provider: ProviderRecord, keyring: Keyring): ProviderSecretView {
  const problems: string[] = [];
  let apiKeyHint: string | null = null;
  let secretHeaderNames: string[] = [];
  if (provider.apiKeyEncrypted !== null) {
    try {
      apiKeyHint = maskSecret(keyring.decrypt(provider.apiKeyEncrypted));
    } catch (caught) {
      problems.push(`cannot decrypt the API key: ${(caught as Error).message}`);
    }
  }
  if (provider.secretHeadersEncrypted !== null) {
    try {
      secretHeaderNames = Object.keys(decryptSecretHeaders(keyring, provider.secretHeadersEncrypted)).sort();
    } catch (caught) {
      problems.push(`cannot decrypt the secret headers: ${(caught as Error).message}`);
    }
  }
  const degraded = problems.length > 0;
  return {
    hasApiKey: provider.apiKeyEncrypted !== null,
    apiKeyHint,
    secretHeaderNames,
    status: degraded ? "degraded" : provider.isActive ? "active" : "inactive",
    statusReason: degraded ? problems.join("; ") : null,
  };
}
