/**
 * The 30-day purge of soft-deleted models against the real PostgreSQL: two replicas racing purge an old model
 * exactly once, with its routes; recently deleted and live models (and their routes) stay; the boundary follows the
 * caller's clock.
 */
import { createDb } from "@thinkwatch/db";
import { createLogger } from "@thinkwatch/log";
import { createTestEnvironment, type TestEnvironment } from "@thinkwatch/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelPurger } from "../src/purge/model-purge.js";

const log = createLogger({ service: "model-purge-test", level: "silent" });
let testEnv: TestEnvironment;
let sql: postgres.Sql;
let providerId: string;

beforeAll(async () => {
  testEnv = await createTestEnvironment();
  sql = postgres(testEnv.env.DATABASE_URL as string, { max: 1, onnotice: () => undefined });
  const [provider] = await sql`insert into providers (name, kind, base_url)
    values ('openai', 'openai', 'https://api.openai.com/v1') returning id`;
  providerId = provider?.id as string;
});

afterAll(async () => {
  await sql?.end();
  await testEnv?.cleanup();
});

/** A model with one route, deleted that many days ago (null: live). */
async function model(name: string, deletedDaysAgo: number | null): Promise<string> {
  const deletedAt = deletedDaysAgo === null ? null : new Date(Date.now() - deletedDaysAgo * 86_400_000);
  const [row] = await sql`insert into models (model_id, is_active, deleted_at)
    values (${name}, ${deletedAt === null}, ${deletedAt}) returning id`;
  const id = row?.id as string;
  await sql`insert into model_routes (model_id, provider_id, upstream_model) values (${id}, ${providerId}, ${name})`;
  return id;
}

const routedModels = async () =>
  (await sql`select m.model_id from models m join model_routes r on r.model_id = m.id order by m.model_id`).map(
    (row) => row.model_id,
  );

describe("model purge", () => {
  it("purges models deleted more than 30 days ago exactly once when two replicas race, with their routes", async () => {
    const [ancient] = [await model("ancient", 31), await model("recent", 29), await model("live", null)];
    const replicas = [0, 1].map(() => createDb({ url: testEnv.env.DATABASE_URL as string, name: "model-purge-test" }));
    try {
      const results = await Promise.all(replicas.map((pg) => createModelPurger(pg.db, log).runOnce()));
      // One run purged it; the other either skipped (lock held) or found nothing left.
      expect(results.filter((ids) => ids !== null && ids.length === 1)).toEqual([[ancient]]);
      expect(results.every((ids) => ids === null || ids.length <= 1)).toBe(true);
      const first = replicas[0];
      if (first === undefined) throw new Error("no replica");
      expect(await createModelPurger(first.db, log).runOnce()).toEqual([]);
    } finally {
      await Promise.all(replicas.map((pg) => pg.close(1000)));
    }
    expect((await sql`select model_id from models order by model_id`).map((row) => row.model_id)).toEqual(["live", "recent"]);
    expect(await routedModels()).toEqual(["live", "recent"]);
    expect((await sql`select count(*)::int as n from model_routes where upstream_model = 'ancient'`)[0]?.n).toBe(0);
  });

  it("purges at the boundary the caller's clock says, not before", async () => {
    const almost = await model("almost", 29);
    const [recent] = await sql`select id from models where model_id = 'recent'`;
    const pg = createDb({ url: testEnv.env.DATABASE_URL as string, name: "model-purge-clock" });
    try {
      const purger = createModelPurger(pg.db, log);
      expect(await purger.runOnce()).toEqual([]);
      // Two days on, both models deleted 29 days ago are past 30; the live one stays.
      const purged = await purger.runOnce(new Date(Date.now() + 2 * 86_400_000));
      expect(purged?.sort()).toEqual([almost, recent?.id].sort());
      expect(await routedModels()).toEqual(["live"]);
    } finally {
      await pg.close(1000);
    }
  });
});
