/**
 * `rotate-encryption-key`: the command beside `migrate` that re-encrypts every secret under the current
 * ENCRYPTION_KEY. Run it after moving the old key into ENCRYPTION_PREVIOUS_KEYS; once it reports no failures the
 * old key can be dropped. Exit code 0 when every secret is under the current key, 1 otherwise.
 */
import { ConfigError, databaseEntries, encryptionEntries, parseEnv } from "@thinkwatch/config";
import { createKeyring } from "@thinkwatch/crypto";
import { createDb } from "@thinkwatch/db";
import * as v from "valibot";
import { createPostgresProviderStore } from "../providers/provider-store.js";
import { createPostgresSsoConfigStore } from "../sso/sso-config-store.js";
import { rotateSecrets } from "./rotate-secrets.js";

const RotateConfigSchema = v.object({ ...databaseEntries, ...encryptionEntries });

export async function runRotateEncryptionKey(
  env: Record<string, string | undefined>,
  out: { write(line: string): void; error(line: string): void },
): Promise<boolean> {
  let config: v.InferOutput<typeof RotateConfigSchema>;
  try {
    config = parseEnv(RotateConfigSchema, env);
  } catch (caught) {
    if (!(caught instanceof ConfigError)) throw caught;
    out.error(caught.problems.map((p) => `${p.variable}: ${p.message}`).join("\n"));
    return false;
  }
  const keyring = createKeyring(config.ENCRYPTION_KEY, config.ENCRYPTION_PREVIOUS_KEYS);
  const pg = createDb({ url: config.DATABASE_URL, name: "rotate-encryption-key", maxConnections: 2 });
  try {
    const report = await rotateSecrets(keyring, {
      providers: createPostgresProviderStore(pg.db),
      sso: createPostgresSsoConfigStore(pg.db),
    });
    out.write(
      `re-encrypted ${report.reencrypted} secret(s) under key ${keyring.currentKeyId}; ${report.alreadyCurrent} already current; ${report.skipped} changed meanwhile; ${report.failed.length} failed`,
    );
    for (const failure of report.failed) out.error(`cannot re-encrypt ${failure.secret}: ${failure.reason}`);
    if (report.reencrypted > 0) {
      out.write("restart or change any provider in admin-api to republish the routing table with the new ciphertexts");
    }
    return report.failed.length === 0;
  } catch (caught) {
    out.error(`rotation failed: ${(caught as Error).message}`);
    return false;
  } finally {
    await pg.close(5000);
  }
}
