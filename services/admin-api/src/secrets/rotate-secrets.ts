/**
 * Re-encrypt every stored secret under the current ENCRYPTION_KEY: provider API keys, provider secret headers and
 * the OIDC client secret. Values are decrypted with the current or a previous key (ENCRYPTION_PREVIOUS_KEYS); a
 * value no configured key can read is reported, never dropped. Each swap is conditional on the ciphertext still
 * being the one read, so an admin's concurrent edit wins and running the command twice is harmless.
 */
import type { Keyring } from "@thinkwatch/crypto";
import type { ProviderStore } from "../providers/provider-store.js";
import type { SsoConfigStore } from "../sso/sso-config-store.js";

export interface RotationReport {
  reencrypted: number;
  alreadyCurrent: number;
  /** Secrets changed by someone else while rotating (they are under the current key already). */
  skipped: number;
  failed: Array<{ secret: string; reason: string }>;
}

export async function rotateSecrets(
  keyring: Keyring,
  stores: { providers: ProviderStore; sso: SsoConfigStore },
): Promise<RotationReport> {
  const report: RotationReport = { reencrypted: 0, alreadyCurrent: 0, skipped: 0, failed: [] };
  const reencrypt = (label: string, ciphertext: string | null): string | null => {
    if (ciphertext === null) return null;
    if (!keyring.needsReencryption(ciphertext)) {
      report.alreadyCurrent += 1;
      return ciphertext;
    }
    try {
      const next = keyring.encrypt(keyring.decrypt(ciphertext));
      report.reencrypted += 1;
      return next;
    } catch (caught) {
      report.failed.push({ secret: label, reason: (caught as Error).message });
      return ciphertext;
    }
  };

  for (const row of await stores.providers.allProvidersForRotation()) {
    const before = report.reencrypted;
    const next = {
      apiKeyEncrypted: reencrypt(`provider ${row.id} API key`, row.apiKeyEncrypted),
      secretHeadersEncrypted: reencrypt(`provider ${row.id} secret headers`, row.secretHeadersEncrypted),
    };
    const changed = report.reencrypted - before;
    if (changed > 0 && !(await stores.providers.replaceSecrets(row.id, row, next))) {
      report.reencrypted -= changed;
      report.skipped += changed;
    }
  }

  const sso = await stores.sso.get();
  if (sso?.clientSecretEncrypted) {
    const before = report.reencrypted;
    const next = reencrypt("SSO client secret", sso.clientSecretEncrypted);
    if (report.reencrypted > before && next !== null && !(await stores.sso.replaceSecret(sso.clientSecretEncrypted, next))) {
      report.reencrypted -= 1;
      report.skipped += 1;
    }
  }
  return report;
}
