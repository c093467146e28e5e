/**
 * Sessions in shared storage (a NATS KV bucket with a time-to-live), so any mcp-proxy replica can serve any session:
 * a replica that has never seen a session rebuilds it from this record. The record holds no secret — only which key
 * opened the session and what the client said at initialize.
 */
import { type KV, Kvm } from "@nats-io/kv";
import { type Bus, decodeJson, encodeJson } from "@thinkwatch/bus";
import * as v from "valibot";
import { type SessionRecord, SessionRecordSchema } from "./session-types.js";

export interface SessionStore {
  put(record: SessionRecord): Promise<void>;
  get(id: string): Promise<SessionRecord | null>;
  delete(id: string): Promise<void>;
}

const BUCKET = "mcp_sessions";

export async function openSessionStore(bus: Bus, ttlMs: number): Promise<SessionStore> {
  const kv: KV = await new Kvm(bus.nc).create(bus.bucketName(BUCKET), { history: 1, ttl: ttlMs });
  return {
    async put(record) {
      await kv.put(record.id, encodeJson(record));
    },
    async get(id) {
      if (!/^[A-Za-z0-9_-]{16,128}$/.test(id)) return null;
      const entry = await kv.get(id);
      if (entry === null || entry.operation !== "PUT") return null;
      const parsed = v.safeParse(SessionRecordSchema, safeJson(entry.value));
      return parsed.success ? parsed.output : null;
    },
    async delete(id) {
      if (!/^[A-Za-z0-9_-]{16,128}$/.test(id)) return;
      await kv.delete(id);
    },
  };
}

function safeJson(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
