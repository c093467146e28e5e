/** audit-ingest configuration: the bus (AUDIT stream) and ClickHouse, plus batching bounds. */
import { clickhouseEntries, fields, natsEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const AuditIngestConfigSchema = v.object({
  ...natsEntries,
  ...clickhouseEntries,
  /** Most events per ClickHouse insert. */
  AUDIT_BATCH_MAX: fields.positiveInt(10_000),
  /**
   * Longest an event waits for its batch to fill before it is written anyway. Each insert costs ClickHouse a new part
   * per table (and merges later) whatever its size, so under load about one insert per second is the cheap cadence.
   */
  AUDIT_BATCH_WAIT_MS: fields.positiveInt(1000),
  /** Deliveries of one event before it is dead-lettered (the consumer's max_deliver). */
  AUDIT_MAX_DELIVER: fields.positiveInt(20),
});
export type AuditIngestConfig = v.InferOutput<typeof AuditIngestConfigSchema>;
