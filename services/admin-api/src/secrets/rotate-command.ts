/**
 * `rotate-encryption-key`: the command beside `migrate` that re-encrypts every secret under the current
 * ENCRYPTION_KEY — every encrypted column in PostgreSQL (providers, MCP servers, OIDC, log forwarders, sealed API
 * keys), the per-user MCP OAuth tokens in NATS KV — and republishes the KV read-models that carry ciphertexts
 * (routing table, MCP registry, log channels), so no replica needs the old key afterwards. Run it after moving the
 * old key into ENCRYPTION_PREVIOUS_KEYS everywhere; once it reports no failures the old key can be dropped.
 * Exit code 0 when every secret is under the current key, 1 otherwise.
 */
import { connectBus, openConfigStore } from "@thinkwatch/bus";
import { ConfigError, databaseEntries, encryptionEntries, natsEntries, parseEnv } from "@thinkwatch/config";
import { createKeyring } from "@thinkwatch/crypto";
import { createDb } from "@thinkwatch/db";
import { createLogger } from "@thinkwatch/log";
import * as v from "valibot";
import { createMcpServerStore } from "../mcp/mcp-server-store.js";
import { createPostgresModelStore } from "../providers/model-store.js";
import { createPostgresProviderStore } from "../providers/provider-store.js";
import { createChannelStore } from "../publish/channel-store.js";
import { createRoutingPublisher } from "../publish/routing-publisher.js";
import { createPostgresUserStore } from "../users/user-store.js";
import { rotateUserTokens } from "./rotate-kv-secrets.js";
import { rotateDatabaseSecrets } from "./rotate-secrets.js";

const RotateConfigSchema = v.object({ ...databaseEntries, ...natsEntries, ...encryptionEntries });

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
  const log = createLogger({ service: "rotate-encryption-key", level: "error", destination: process.stderr });
  const pg = createDb({ url: config.DATABASE_URL, name: "rotate-encryption-key", maxConnections: 2 });
  let bus: Awaited<ReturnType<typeof connectBus>> | undefined;
  try {
    bus = await connectBus({
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: "thinkwatch-rotate-encryption-key",
      log,
    });
    const report = await rotateDatabaseSecrets(pg.db, keyring);
    await rotateUserTokens(bus, keyring, report);
    // The read-models copy ciphertexts out of PostgreSQL: republish them so watchers hold only current ones.
    const configStore = await openConfigStore(bus, log);
    const users = createPostgresUserStore(pg.db);
    await createRoutingPublisher(createPostgresProviderStore(pg.db), createPostgresModelStore(pg.db), configStore, () =>
      users.isInitialized(),
    ).publish();
    await createMcpServerStore(pg.db, keyring, configStore, () => ({ allowPrivate: true })).publish();
    await createChannelStore(pg.db, configStore).publish();
    out.write(
      `re-encrypted ${report.reencrypted} secret(s) under key ${keyring.currentKeyId}; ${report.alreadyCurrent} already current; ${report.failed.length} failed`,
    );
    for (const failure of report.failed) out.error(`cannot re-encrypt ${failure.secret}: ${failure.reason}`);
    return report.failed.length === 0;
  } catch (caught) {
    out.error(`rotation failed: ${(caught as Error).message}`);
    return false;
  } finally {
    await bus?.close(5000);
    await pg.close(5000);
  }
}
