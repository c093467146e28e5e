/** system_settings: key → JSON value. The settings issue grows this into seven categories pushed to every replica. */
import { type Database, tables } from "@thinkwatch/db";
import { eq } from "drizzle-orm";

export interface SettingsStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export function createPostgresSettingsStore(db: Database): SettingsStore {
  const { systemSettings } = tables;
  return {
    async get(key) {
      const [row] = await db.select().from(systemSettings).where(eq(systemSettings.key, key)).limit(1);
      return row?.value;
    },
    async set(key, value) {
      await db
        .insert(systemSettings)
        .values({ key, value })
        .onConflictDoUpdate({ target: systemSettings.key, set: { value, updatedAt: new Date() } });
    },
  };
}
