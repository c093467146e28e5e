/**
 * Migration 0003_model_routes on a database that already has models (as deployed databases do): every model's
 * provider and upstream name become its one route before those columns are dropped — nothing is lost.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { migratePostgres } from "@thinkwatch/db";
import { createTestEnvironment, REPO_ROOT, type TestEnvironment } from "@thinkwatch/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MIGRATIONS = resolve(REPO_ROOT, "migrations/postgres");
let environment: TestEnvironment;
let before: string;

/** The migrations folder as it was before 0003 (the journal cut after 0002). */
function migrationsUpTo(lastTag: string): string {
  const folder = mkdtempSync(join(tmpdir(), "tw-migrations-"));
  cpSync(MIGRATIONS, folder, { recursive: true });
  const journalPath = join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((entry) => entry.tag === lastTag);
  journal.entries = journal.entries.slice(0, cut + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

beforeAll(async () => {
  environment = await createTestEnvironment({ migrate: false });
  before = migrationsUpTo("0002_key_strict_conversion");
});
afterAll(async () => {
  rmSync(before, { recursive: true, force: true });
  await environment?.cleanup();
});

describe("migration 0003_model_routes", () => {
  it("turns each existing model's provider and upstream name into one route of weight 1", async () => {
    const url = environment.env.DATABASE_URL as string;
    await migratePostgres(url, before);
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    try {
      const [provider] = await sql<Array<{ id: string }>>`
        insert into providers (name, kind, base_url) values ('legacy', 'openai', 'https://api.openai.com') returning id`;
      const providerId = (provider as { id: string }).id;
      await sql`insert into models (model_id, provider_id, upstream_model) values
        ('chat', ${providerId}, 'gpt-4o-mini'), ('alias', ${providerId}, 'alias')`;
      const inactive = await sql`insert into models (model_id, provider_id, upstream_model, is_active)
        values ('old', ${providerId}, 'gpt-3.5-turbo', false) returning id`;

      await migratePostgres(url, MIGRATIONS);

      const routes = await sql<Array<Record<string, unknown>>>`
        select m.model_id, m.is_active, r.provider_id, r.upstream_model, r.weight, r.priority, r.enabled, r.position
        from models m join model_routes r on r.model_id = m.id order by m.model_id`;
      expect(routes).toEqual([
        {
          model_id: "alias",
          is_active: true,
          provider_id: providerId,
          upstream_model: "alias",
          weight: 1,
          priority: 0,
          enabled: true,
          position: 0,
        },
        {
          model_id: "chat",
          is_active: true,
          provider_id: providerId,
          upstream_model: "gpt-4o-mini",
          weight: 1,
          priority: 0,
          enabled: true,
          position: 0,
        },
        {
          model_id: "old",
          is_active: false,
          provider_id: providerId,
          upstream_model: "gpt-3.5-turbo",
          weight: 1,
          priority: 0,
          enabled: true,
          position: 0,
        },
      ]);
      expect((inactive[0] as { id: string }).id).toBeTruthy();
      const columns = await sql`select column_name from information_schema.columns where table_name = 'models'`;
      expect(columns.map((c) => c.column_name)).not.toContain("provider_id");
    } finally {
      await sql.end();
    }
  });
});
