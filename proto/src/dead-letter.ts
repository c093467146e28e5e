/**
 * Dead letters: a message a consumer could not handle after its bounded retries (or that no retry can fix — outside
 * its contract, refused by the destination with a 4xx) is kept here with the reason, instead of blocking the
 * messages behind it or vanishing. Stream `DEADLETTER`, subject `deadletter.v1.<consumer>`.
 */
import * as v from "valibot";
import { eventContract } from "./contract.js";

export const DEAD_LETTER_SUBJECT_ROOT = "deadletter.v1";

export const DeadLetterSchema = v.object({
  /** The consumer that gave up, e.g. `audit-ingest` or `forwarder-<channel id>`. */
  consumer: v.string(),
  /** Subject and stream sequence of the original message (its identity in the source stream). */
  subject: v.string(),
  streamSeq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  eventId: v.nullable(v.string()),
  deliveryCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
  reason: v.pipe(v.string(), v.maxLength(2000)),
  occurredAt: v.number(),
  /** The original message as text (sanitized, cut to a bounded size), for inspection and replay by hand. */
  payload: v.string(),
});
export type DeadLetter = v.InferOutput<typeof DeadLetterSchema>;

/** Subject tokens allow letters, digits, `-` and `_`; consumer names are built from those. */
export function deadLetterContract(consumer: string) {
  return eventContract(`${DEAD_LETTER_SUBJECT_ROOT}.${consumer}`, DeadLetterSchema);
}
