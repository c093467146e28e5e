/**
 * The 30-day purge of soft-deleted MCP servers against the real PostgreSQL and NATS: two replicas racing purge an
 * old server exactly once, recent and live servers stay, and the purged server's per-user OAuth tokens leave the KV
 * bucket while other servers' tokens stay.
 */
import { randomUUID } from "node:crypto";
import { Kvm } from "@nats-io/kv";
import { type Bus, connectBus } from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { createDb } from "@thinkwatch/db";
import { createLogger } from "@thinkwatch/log";
import { MCP_USER_TOKENS_BUCKET, mcpUserTokensKey } from "@thinkwatch/proto";
import { createTestEnvironment, TEST_SECRETS, type TestEnvironment } from "@thinkwatch/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMcpOAuthLinker } from "../src/mcp/mcp-oauth-linker.js";
import { createMcpServerPurger } from "../src/purge/mcp-server-purge.js";

const log = createLogger({ service: "mcp-purge-test", level: "silent" });
let testEnv: TestEnvironment;
let sql: postgres.Sql;
let bus: Bus;

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1, onnotice: () => undefined });
  bus = await connectBus({
    url: testEnv.env.NATS_URL as string,
    namespace: testEnv.env.THINKWATCH_NAMESPACE as string,
    name: "mcp-purge-test",
    log,
  });
});

afterAll(async () => {
  await bus?.close(2000);
  await sql?.end();
  await testEnv?.cleanup();
});

async function server(name: string, deletedDaysAgo: number | null): Promise<string> {
  const deletedAt = deletedDaysAgo === null ? null : new Date(Date.now() - deletedDaysAgo * 86_400_000);
  const [row] = await sql`insert into mcp_servers (name, prefix, transport, url, deleted_at)
    values (${name}, ${name}, 'streamable_http', 'https://mcp.example.com/mcp', ${deletedAt}) returning id`;
  return row?.id as string;
}

describe("MCP server purge", () => {
  it("purges servers deleted more than 30 days ago exactly once when two replicas race, with their users' tokens", async () => {
    const [ancient, recent, live] = [await server("ancient", 31), await server("recent", 29), await server("live", null)];
    const keyring = createKeyring(TEST_SECRETS.ENCRYPTION_KEY);
    const linker = await createMcpOAuthLinker(bus, keyring, fetch);
    const tokens = await new Kvm(bus.nc).open(bus.bucketName(MCP_USER_TOKENS_BUCKET));
    const [alice, bob] = [randomUUID(), randomUUID()];
    for (const key of [mcpUserTokensKey(ancient, alice), mcpUserTokensKey(ancient, bob), mcpUserTokensKey(live, alice)]) {
      await tokens.put(key, keyring.encrypt(JSON.stringify({ accessToken: `token-of-${key}` })));
    }

    const replicas = [0, 1].map(() => createDb({ url: testEnv.env.DATABASE_URL as string, name: "mcp-purge-test" }));
    try {
      const results = await Promise.all(
        replicas.map((pg) => createMcpServerPurger(pg.db, log, (id) => linker.forgetServer(id)).runOnce()),
      );
      // One run purged it; the other either skipped (lock held) or found nothing left.
      expect(results.filter((ids) => ids !== null && ids.length === 1)).toEqual([[ancient]]);
      expect(results.every((ids) => ids === null || ids.length <= 1)).toBe(true);
      const first = replicas[0];
      if (first === undefined) throw new Error("no replica");
      expect(await createMcpServerPurger(first.db, log, (id) => linker.forgetServer(id)).runOnce()).toEqual([]);
    } finally {
      await Promise.all(replicas.map((pg) => pg.close(1000)));
    }

    const left = await sql`select id from mcp_servers order by name`;
    expect(left.map((row) => row.id)).toEqual([live, recent]);
    const keys: string[] = [];
    for await (const key of await tokens.keys()) keys.push(key);
    expect(keys).toEqual([mcpUserTokensKey(live, alice)]);
  });

  it("purges at the boundary the caller's clock says, not before", async () => {
    const almost = await server("almost", 29);
    const [recent] = await sql`select id from mcp_servers where name = 'recent'`;
    const pg = createDb({ url: testEnv.env.DATABASE_URL as string, name: "mcp-purge-clock" });
    try {
      const purger = createMcpServerPurger(pg.db, log, async () => 0);
      expect(await purger.runOnce()).toEqual([]);
      // Two days on, both servers deleted 29 days ago are past 30; the live one stays.
      const purged = await purger.runOnce(new Date(Date.now() + 2 * 86_400_000));
      expect(purged?.sort()).toEqual([almost, recent?.id].sort());
      expect((await sql`select name from mcp_servers`).map((row) => row.name)).toEqual(["live"]);
    } finally {
      await pg.close(1000);
    }
  });
});
