/**
 * Rotation, manual or automatic: mint a successor with the same owner, scopes and lineage, and give the old key a
 * grace period during which both work. Runs in one transaction; the conditional update on the old key makes a
 * concurrent second rotation fail instead of forking the lineage.
 */
import { AppError } from "@thinkwatch/errors";
import type { KeyServiceDeps } from "../deps.js";
import { statusFacts } from "./key-info.js";
import { keyStatusAt } from "./key-status.js";
import { type Executor, insertKey, type KeyRow, markRotated } from "./key-store.js";

const HOUR_MS = 3_600_000;

export interface Rotation {
  previous: KeyRow;
  successor: KeyRow;
}

/** Why `row` cannot be rotated, or null when it can. */
export function rotationRefusal(row: KeyRow, now: number): AppError | null {
  const status = keyStatusAt(statusFacts(row), now);
  if (status === "grace" || status === "rotated") {
    const until = row.graceEndsAt?.toISOString() ?? "";
    const ends = status === "grace" ? ` (it keeps working until ${until})` : ` (its grace period ended at ${until})`;
    return new AppError(
      "conflict",
      `this API key was already rotated${ends}; rotate its successor ${row.supersededById} instead`,
      { details: { successorId: row.supersededById, graceEndsAt: row.graceEndsAt?.getTime() ?? null } },
    );
  }
  if (status !== "active") return new AppError("conflict", `this API key is ${status} and cannot be rotated`);
  return null;
}

export async function rotateKey(
  deps: Pick<KeyServiceDeps, "db">,
  previous: KeyRow,
  options: {
    now: number;
    graceHours: number;
    /** The successor's hash and prefix (the caller minted it). */
    minted: { keyHash: string; keyPrefix: string };
    /** Automatic rotation: the successor's plaintext sealed with the keyring, for a one-time reveal. */
    sealedPlaintext?: string;
  },
): Promise<Rotation> {
  const refused = rotationRefusal(previous, options.now);
  if (refused !== null) throw refused;
  const { minted } = options;
  // The successor lives as long as its predecessor was meant to.
  const lifetime = previous.expiresAt === null ? null : previous.expiresAt.getTime() - previous.createdAt.getTime();
  return deps.db.transaction(async (tx: Executor) => {
    const successor = await insertKey(
      tx,
      {
        ownerKind: previous.ownerKind as "user" | "service_account",
        userId: previous.userId,
        teamId: previous.teamId,
        costCenter: previous.costCenter,
        name: previous.name,
        keyHash: minted.keyHash,
        keyPrefix: minted.keyPrefix,
        surfaces: previous.surfaces as never,
        allowedModels: previous.allowedModels,
        allowedMcpTools: previous.allowedMcpTools,
        strictConversion: previous.strictConversion,
        expiresAt: lifetime === null ? null : options.now + lifetime,
        inactivityTimeoutDays: previous.inactivityTimeoutDays,
        rotationPeriodDays: previous.rotationPeriodDays,
        lineageId: previous.lineageId,
        rotatedFromId: previous.id,
        sealedPlaintext: options.sealedPlaintext ?? null,
      },
      options.now,
    );
    const rotated = await markRotated(tx, previous.id, successor.id, options.now + options.graceHours * HOUR_MS, options.now);
    if (rotated === null) {
      throw new AppError("conflict", "this API key was rotated or revoked at the same moment; reload and try again");
    }
    return { previous: rotated, successor };
  });
}
