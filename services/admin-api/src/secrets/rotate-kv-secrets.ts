/**
 * Re-encrypt the per-user MCP OAuth tokens, which live (encrypted) in the `mcp_user_tokens` KV bucket rather than
 * in PostgreSQL. Each swap is a compare-and-set on the entry's revision: when mcp-proxy writes refreshed tokens
 * meanwhile, the entry is read again and, if still under an old key, retried.
 */
import { type KV, Kvm } from "@nats-io/kv";
import type { Bus } from "@thinkwatch/bus";
import type { Keyring } from "@thinkwatch/crypto";
import { MCP_USER_TOKENS_BUCKET } from "@thinkwatch/proto";
import { type RotationReport, reencrypted } from "./rotate-secrets.js";

const ATTEMPTS = 5;

export async function rotateUserTokens(bus: Bus, keyring: Keyring, report: RotationReport): Promise<void> {
  const kv: KV = await new Kvm(bus.nc).create(bus.bucketName(MCP_USER_TOKENS_BUCKET), { history: 1 });
  // A set: the listing can name a key twice when the bucket changes while it runs (another run's swap landing), and
  // each key is rotated and counted once.
  const keys = new Set<string>();
  for await (const key of await kv.keys()) keys.add(key);
  for (const key of keys) {
    const label = `MCP user token ${key}`;
    for (let attempt = 1; ; attempt += 1) {
      const entry = await kv.get(key);
      if (entry === null || entry.operation !== "PUT") break;
      const next = reencrypted(keyring, label, entry.string(), report);
      if (next === null) break;
      try {
        await kv.update(key, next, entry.revision);
        break;
      } catch (caught) {
        report.reencrypted -= 1; // counted again on the retry
        if (attempt === ATTEMPTS) {
          report.failed.push({ secret: label, reason: `kept changing while rotating: ${(caught as Error).message}` });
          break;
        }
      }
    }
  }
}
