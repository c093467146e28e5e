/**
 * `npm run bench -- keys [--duration 3] [--concurrency 32] [--keys 200]`: key verification as an edge does it
 * (createKeyVerifier in front of a real key-service, NATS and PostgreSQL), in verifications/s and latency
 * percentiles, for a cached key (the hot path: memory only), an uncached key (every call a keys.v1.verify round trip
 * to key-service and PostgreSQL), a revoked key (remembered briefly, so a flood of it stays in memory) and a
 * malformed key (refused without leaving the process); then how long a revocation takes to reach an edge's cache
 * (keys.v1.revoke answered → the KeysChanged broadcast → the cached key refused).
 */
import { parseArgs } from "node:util";
import { connectBus } from "@thinkwatch/bus";
import { mintVirtualKey } from "@thinkwatch/crypto";
import { createKeyVerifier, type KeyVerifier } from "@thinkwatch/gateway-auth";
import { keyService } from "@thinkwatch/key-service";
import { startFleet } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import { KeysCreate, KeysRevoke } from "@thinkwatch/proto";
import { createTestEnvironment, freePort } from "@thinkwatch/testkit";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "3" },
    concurrency: { type: "string", default: "32" },
    keys: { type: "string", default: "200" },
  },
});
const durationMs = Number(values.duration) * 1000;
const concurrency = Number(values.concurrency);
const keyCount = Number(values.keys);

interface LaneResult {
  lane: string;
  perSecond: number;
  p50Us: number;
  p99Us: number;
  refused: number;
}

/** `concurrency` loops calling `verify` for `durationMs`; every call timed. */
async function lane(name: string, verify: (i: number) => Promise<unknown>): Promise<LaneResult> {
  const latencies: number[] = [];
  let refused = 0;
  let counter = 0;
  const started = performance.now();
  const end = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = counter++;
        const t0 = performance.now();
        try {
          await verify(i);
        } catch {
          refused += 1;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0) * 1000;
  return { lane: name, perSecond: (latencies.length / elapsed) * 1000, p50Us: at(0.5), p99Us: at(0.99), refused };
}

function print(results: LaneResult[]): void {
  const header = ["lane", "verifications/s", "p50 µs", "p99 µs", "refused"];
  const rows = results.map((r) => [r.lane, r.perSecond.toFixed(0), r.p50Us.toFixed(1), r.p99Us.toFixed(1), String(r.refused)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

const testEnv = await createTestEnvironment();
const log = createLogger({ service: "bench", level: "silent" });
const fleet = await startFleet({
  services: [keyService],
  env: { ...testEnv.env, LOG_LEVEL: "error", HEALTH_PORT: String(await freePort()) },
});
const bus = await connectBus({ url: testEnv.env.NATS_URL as string, namespace: testEnv.id, name: "bench", log });
const verifiers: KeyVerifier[] = [];
try {
  const userId = crypto.randomUUID();
  const plaintexts: string[] = [];
  for (let i = 0; i < keyCount; i++) {
    const { plaintext, ...minted } = mintVirtualKey();
    await bus.request(KeysCreate, { userId, name: `bench ${i}`, minted });
    plaintexts.push(plaintext);
  }
  const revokedMint = mintVirtualKey();
  const { plaintext: revokedKey, ...revokedHash } = revokedMint;
  const revoked = await bus.request(KeysCreate, { userId, name: "revoked", minted: revokedHash });
  await bus.request(KeysRevoke, { id: revoked.key.id, actor: { userId, mayActOnOthers: false } });

  const cached = createKeyVerifier(bus);
  // A zero TTL makes every call a miss: the price of a key the edge has not seen yet.
  const uncached = createKeyVerifier(bus, { cacheTtlMs: () => 0 });
  verifiers.push(cached, uncached);
  const first = plaintexts[0] as string;
  await cached.verify(first);
  await cached.verify(revokedKey).catch(() => undefined);

  const results = [
    await lane("cached key", () => cached.verify(first)),
    await lane("uncached key", (i) => uncached.verify(plaintexts[i % plaintexts.length] as string)),
    await lane("revoked key", () => cached.verify(revokedKey)),
    await lane("malformed key", () => cached.verify("sk-not-a-thinkwatch-key")),
  ];
  console.log(`key verification, ${concurrency} concurrent callers, ${durationMs / 1000} s per lane, ${keyCount} keys`);
  print(results);

  // Revocation propagation: a cached key, revoked; time until this edge's verifier refuses it.
  const delays: number[] = [];
  for (let i = 0; i < 20; i++) {
    const { plaintext, ...minted } = mintVirtualKey();
    const created = await bus.request(KeysCreate, { userId, name: `propagation ${i}`, minted });
    await cached.verify(plaintext);
    const started = performance.now();
    await bus.request(KeysRevoke, { id: created.key.id, actor: { userId, mayActOnOthers: false } });
    for (;;) {
      const refused = await cached.verify(plaintext).then(
        () => false,
        () => true,
      );
      if (refused) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    delays.push(performance.now() - started);
  }
  delays.sort((a, b) => a - b);
  console.log(
    `revocation reaches a cached edge: p50 ${(delays[10] ?? 0).toFixed(2)} ms, max ${(delays.at(-1) ?? 0).toFixed(2)} ms (20 revocations, from the revoke request to the first refusal)`,
  );
} finally {
  for (const verifier of verifiers) await verifier.stop();
  await bus.close(1000);
  await fleet.stop("bench done");
  await testEnv.cleanup();
}
