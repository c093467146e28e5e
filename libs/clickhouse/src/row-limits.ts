/**
 * The part of a row schema that a row's TypeScript type cannot promise: each column with a check beyond "is a
 * string" (numeric ranges such as UInt16 and UInt32, DateTime text, non-empty ids, 0/1 flags). A row built by its
 * typed mapping from an event already validated against its contract can only fail these, so audit-ingest checks
 * them alone instead of the whole row a second time: a third of the work per event, the same verdicts.
 */
import * as v from "valibot";

type Entries = Record<string, v.GenericSchema>;

/** A plain `v.string()` column: the row's type already says so. Anything piped, nullable or numeric is kept. */
function typeAlone(schema: v.GenericSchema): boolean {
  return schema.type === "string" && !("pipe" in schema);
}

export function rowLimitsOf(schema: v.ObjectSchema<Entries, undefined>): v.ObjectSchema<Entries, undefined> {
  const kept = Object.entries(schema.entries).filter(([, column]) => !typeAlone(column));
  return v.object(Object.fromEntries(kept));
}
