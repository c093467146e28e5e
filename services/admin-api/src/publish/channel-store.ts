/** log_forwarders in PostgreSQL, and their compiled list in the config KV bucket, which the forwarder watches. */
import type { ConfigStore } from "@thinkwatch/bus";
import { type Database, tables } from "@thinkwatch/db";
import { AppError } from "@thinkwatch/errors";
import { CONFIG_KEYS, type LogChannel } from "@thinkwatch/proto";
import { asc, eq } from "drizzle-orm";

export interface ChannelInput {
  name: string;
  kind: LogChannel["kind"];
  settings: Record<string, unknown>;
  eventKinds: string[];
  enabled: boolean;
}

export interface ChannelStore {
  create(input: ChannelInput): Promise<LogChannel>;
  get(id: string): Promise<LogChannel | null>;
  /** Replace the changeable fields; returns the channel before and after. */
  update(id: string, change: Partial<Omit<ChannelInput, "kind">>): Promise<{ before: LogChannel; after: LogChannel }>;
  list(): Promise<LogChannel[]>;
  publish(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uniqueViolation(caught: unknown, name: string | undefined): never {
  const code = (caught as { code?: string; cause?: { code?: string } }).cause?.code ?? (caught as { code?: string }).code;
  if (code === "23505") throw new AppError("conflict", `a log forwarder named '${name}' already exists`);
  throw caught;
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
    eventKinds: row.eventKinds,
  });
  let lastRevision = 0;
  const list = async () => (await db.select().from(logForwarders).orderBy(asc(logForwarders.createdAt))).map(toChannel);
  const get = async (id: string) => {
    if (!UUID.test(id)) return null;
    const [row] = await db.select().from(logForwarders).where(eq(logForwarders.id, id));
    return row === undefined ? null : toChannel(row);
  };
  return {
    async create(input) {
      try {
        const [row] = await db.insert(logForwarders).values(input).returning();
        if (row === undefined) throw new Error("insert returned no row");
        return toChannel(row);
      } catch (caught) {
        return uniqueViolation(caught, input.name);
      }
    },
    get,
    async update(id, change) {
      const before = await get(id);
      if (before === null) throw new AppError("not_found", "no such log forwarder");
      try {
        const [row] = await db
          .update(logForwarders)
          .set({ ...change, updatedAt: new Date() })
          .where(eq(logForwarders.id, id))
          .returning();
        if (row === undefined) throw new AppError("not_found", "no such log forwarder");
        return { before, after: toChannel(row) };
      } catch (caught) {
        if (caught instanceof AppError) throw caught;
        return uniqueViolation(caught, change.name);
      }
    },
    list,
    async publish() {
      lastRevision = Math.max(Date.now(), lastRevision + 1);
      await config.put(CONFIG_KEYS.logChannels, { revision: lastRevision, channels: await list() });
    },
  };
}
