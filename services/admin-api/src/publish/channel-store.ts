/** log_forwarders in PostgreSQL, and their compiled list in the config KV bucket, which the forwarder watches. */
import type { ConfigStore } from "@thinkwatch/bus";
import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import { CONFIG_KEYS, type LogChannel } from "@thinkwatch/proto";
import { asc } from "drizzle-orm";

export interface ChannelStore {
  create(input: {
    name: string;
    kind: LogChannel["kind"];
    settings: Record<string, unknown>;
    enabled: boolean;
  }): Promise<LogChannel>;
  list(): Promise<LogChannel[]>;
  publish(): Promise<void>;
}

export function createChannelStore(db: Database, config: ConfigStore): ChannelStore {
  const { logForwarders } = tables;
  const toChannel = (row: typeof logForwarders.$inferSelect): LogChannel => ({
    id: row.id,
    name: row.name,
    kind: row.kind as LogChannel["kind"],
    enabled: row.enabled,
    createdAt: row.createdAt.getTime(),
    settings: row.settings as Record<string, unknown>,
  });
  let lastRevision = 0;
  const list = async () => (await db.select().from(logForwarders).orderBy(asc(logForwarders.createdAt))).map(toChannel);
  return {
    async create(input) {
      try {
        const [row] = await db.insert(logForwarders).values(input).returning();
        if (row === undefined) throw new Error("insert returned no row");
        return toChannel(row);
      } catch (caught) {
        const code = (caught as { code?: string; cause?: { code?: string } }).cause?.code ?? (caught as { code?: string }).code;
        if (code === "23505") throw new AppError("conflict", `a log forwarder named '${input.name}' already exists`);
        throw caught;
      }
    },
    list,
    async publish() {
      lastRevision = Math.max(Date.now(), lastRevision + 1);
      await config.put(CONFIG_KEYS.logChannels, { revision: lastRevision, channels: await list() });
    },
  };
}
