/**
 * system_settings: one row per category (key = category name, value = that category's object). Reads are validated
 * against proto's SettingsSchema, so defaults fill what was never set; every change republishes the whole settings
 * read-model to the config KV bucket, where every replica of every service picks it up.
 */
import type { ConfigStore } from "@thinkwatch/bus";
import { type Database, tables } from "@thinkwatch/db";
import { CONFIG_KEYS, type Settings, type SettingsCategory, SettingsSchema } from "@thinkwatch/proto";
import { inArray } from "drizzle-orm";
import * as v from "valibot";

export interface SettingsStore {
  all(): Promise<Settings>;
  /** Replace one category (already validated) and publish. Returns the settings before and after. */
  setCategory<C extends SettingsCategory>(category: C, value: Settings[C]): Promise<{ before: Settings; after: Settings }>;
  publish(): Promise<Settings>;
}

export function createPostgresSettingsStore(db: Database, config: ConfigStore): SettingsStore {
  const { systemSettings } = tables;
  const categories = Object.keys(SettingsSchema.entries);
  let lastRevision = 0;
  const all = async (): Promise<Settings> => {
    const rows = await db.select().from(systemSettings).where(inArray(systemSettings.key, categories));
    const raw = Object.fromEntries(rows.map((row) => [row.key, row.value]));
    const parsed = v.safeParse(SettingsSchema, raw);
    // A stored value that no longer fits (a setting removed or narrowed) falls back to the defaults of its category.
    if (parsed.success) return parsed.output;
    const repaired: Record<string, unknown> = {};
    for (const category of categories) {
      const one = v.safeParse(SettingsSchema, { [category]: raw[category] });
      if (one.success) repaired[category] = (one.output as Record<string, unknown>)[category];
    }
    return v.parse(SettingsSchema, repaired);
  };
  const publish = async () => {
    const settings = await all();
    lastRevision = Math.max(Date.now(), lastRevision + 1);
    await config.put(CONFIG_KEYS.settings, { revision: lastRevision, settings });
    return settings;
  };
  return {
    all,
    async setCategory(category, value) {
      const before = await all();
      await db
        .insert(systemSettings)
        .values({ key: category, value })
        .onConflictDoUpdate({ target: systemSettings.key, set: { value, updatedAt: new Date() } });
      const after = await publish();
      return { before, after };
    },
    publish,
  };
}
