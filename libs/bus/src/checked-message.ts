/** A JetStream message checked against its contract; one outside it is terminated (poison) with a log line. */

import type { JsMsg } from "@nats-io/jetstream";
import type { Logger } from "@thinkwatch/log";
import * as v from "valibot";
import { decodeJson } from "./codec.js";

export function checkedPayload<S extends v.GenericSchema>(
  msg: JsMsg,
  schema: S,
  log: Logger,
): { ok: true; payload: v.InferOutput<S> } | { ok: false } {
  let decoded: unknown;
  try {
    decoded = decodeJson(msg.data);
  } catch {
    decoded = undefined;
  }
  const parsed = v.safeParse(schema, decoded);
  if (parsed.success) return { ok: true, payload: parsed.output };
  log.error(
    { subject: msg.subject, seq: msg.seq, issues: v.flatten(parsed.issues).nested },
    "terminating a message outside its contract",
  );
  msg.term();
  return { ok: false };
}
