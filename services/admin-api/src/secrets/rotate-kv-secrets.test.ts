import { Kvm } from "@nats-io/kv";
import { type Bus, connectBus } from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { createLogger } from "@thinkwatch/log";
import { MCP_USER_TOKENS_BUCKET } from "@thinkwatch/proto";
import { createTestEnvironment, type TestEnvironment } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateUserTokens } from "./rotate-kv-secrets.js";
import { emptyReport } from "./rotate-secrets.js";

const OLD_KEY = "2a".repeat(32);
const NEW_KEY = "5b".repeat(32);
const oldRing = createKeyring(OLD_KEY);
const keyring = createKeyring(NEW_KEY, [OLD_KEY]);
const log = createLogger({ service: "rotate-kv-test", level: "silent" });

let testEnv: TestEnvironment;
let bus: Bus;

beforeAll(async () => {
  testEnv = await createTestEnvironment({ migrate: false });
  bus = await connectBus({ url: testEnv.env.NATS_URL as string, namespace: testEnv.id, name: "test", log });
});

afterAll(async () => {
  await bus?.close(1000);
  await testEnv?.cleanup();
});

describe("rotateUserTokens", () => {
  it("rotates and counts each token once while the bucket keeps changing (its listing can name a key twice)", async () => {
    const kv = await new Kvm(bus.nc).create(bus.bucketName(MCP_USER_TOKENS_BUCKET), { history: 1 });
    const keys = Array.from({ length: 20 }, (_, i) => `server.user${i}`);
    for (const key of keys) await kv.put(key, oldRing.encrypt(`token-${key}`));
    // mcp-proxy refreshing tokens meanwhile: each write is already under the new key.
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n += 1) {
        const key = keys[n % keys.length] as string;
        await kv.put(key, keyring.encrypt(`refreshed-${key}`));
      }
    })();
    const report = emptyReport();
    await rotateUserTokens(bus, keyring, report);
    writing = false;
    await writer;

    expect(report.failed).toEqual([]);
    expect(report.reencrypted + report.alreadyCurrent).toBe(keys.length);
    for (const key of keys) {
      const entry = await kv.get(key);
      expect(keyring.needsReencryption(entry?.string() ?? "")).toBe(false);
    }
  });
});
