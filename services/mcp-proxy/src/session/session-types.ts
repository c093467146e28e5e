/** What a gateway session remembers (also in shared storage, so any replica can rebuild it). */
import * as v from "valibot";

export const SessionRecordSchema = v.object({
  id: v.string(),
  /** The key the session was opened with; a request with another key cannot use it. */
  apiKeyId: v.string(),
  userId: v.string(),
  /** null: the aggregated endpoint; otherwise the one server of `/mcp/{server}`. */
  serverId: v.nullable(v.string()),
  protocolVersion: v.string(),
  /** The client's initialize params, replayed into a fresh Server on another replica. */
  initialize: v.record(v.string(), v.unknown()),
  createdAt: v.number(),
});
export type SessionRecord = v.InferOutput<typeof SessionRecordSchema>;
