/**
 * Re-encrypt every secret stored in PostgreSQL (ENCRYPTED_FIELDS) under the current ENCRYPTION_KEY, in one
 * transaction: a blocking advisory lock makes concurrent runs (several replicas, an operator retrying) queue behind
 * each other, and the rows are locked for update, so an admin's concurrent edit waits and then writes over the
 * rotated value instead of being lost. Values are decrypted with the current or a previous key
 * (ENCRYPTION_PREVIOUS_KEYS); a value no configured key can read is reported and left as it is, never dropped.
 */
import type { Keyring } from "@thinkwatch/crypto";
import type { Database } from "@thinkwatch/db";
import { sql } from "drizzle-orm";
import { ENCRYPTED_FIELDS, type EncryptedField } from "./encrypted-fields.js";

/** Arbitrary, fixed: the advisory lock key of key rotation. */
const ROTATE_LOCK_KEY = 0x7477_0602;

export interface RotationReport {
  reencrypted: number;
  alreadyCurrent: number;
  failed: Array<{ secret: string; reason: string }>;
}

export function emptyReport(): RotationReport {
  return { reencrypted: 0, alreadyCurrent: 0, failed: [] };
}

/** The value under the current key, or null when it already is (counted in `report`). */
export function reencrypted(keyring: Keyring, label: string, ciphertext: string, report: RotationReport): string | null {
  if (!keyring.needsReencryption(ciphertext)) {
    report.alreadyCurrent += 1;
    return null;
  }
  try {
    const next = keyring.encrypt(keyring.decrypt(ciphertext));
    report.reencrypted += 1;
    return next;
  } catch (caught) {
    report.failed.push({ secret: label, reason: (caught as Error).message });
    return null;
  }
}

export async function rotateDatabaseSecrets(
  db: Database,
  keyring: Keyring,
  fields: readonly EncryptedField[] = ENCRYPTED_FIELDS,
): Promise<RotationReport> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROTATE_LOCK_KEY})`);
    const report = emptyReport();
    for (const field of fields) {
      const rows = await tx.execute<{ id: string; ciphertext: string }>(field.select);
      for (const row of rows) {
        const next = reencrypted(keyring, `${field.owner} ${row.id} ${field.what}`, row.ciphertext, report);
        if (next !== null) await tx.execute(field.update(row.id, next));
      }
    }
    return report;
  });
}
