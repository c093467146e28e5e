/**
 * A JetStream message checked against its contract; one outside it is poison, reported with the reason. A message
 * carrying a batch of events (EVENT_BATCH_HEADER) is unpacked and each event checked on its own, so one bad event
 * does not sink the others.
 */

import type { JsMsg } from "@nats-io/jetstream";
import { checkSchema, EVENT_BATCH_HEADER } from "@thinkwatch/proto";
import type * as v from "valibot";
import { decodeJson } from "./codec.js";

export type CheckedPayload<T> = { ok: true; payload: T } | { ok: false; reason: string };

export function checkedPayload<S extends v.GenericSchema>(msg: JsMsg, schema: S): CheckedPayload<v.InferOutput<S>> {
  let decoded: unknown;
  try {
    decoded = decodeJson(msg.data);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  return checkValue(decoded, schema);
}

export interface UnpackedItem<T> {
  checked: CheckedPayload<T>;
  /** The item as JSON, for a dead letter of this one event. */
  raw: () => string;
}

/** The events a message carries: one, or each of its batch. A batch that is not a JSON array is one bad item. */
export function checkedPayloads<S extends v.GenericSchema>(msg: JsMsg, schema: S): Array<UnpackedItem<v.InferOutput<S>>> {
  if (!isBatch(msg)) {
    return [{ checked: checkedPayload(msg, schema), raw: () => new TextDecoder().decode(msg.data) }];
  }
  let decoded: unknown;
  try {
    decoded = decodeJson(msg.data);
  } catch {
    decoded = undefined;
  }
  if (!Array.isArray(decoded)) {
    return [{ checked: { ok: false, reason: "an event batch that is not a JSON array" }, raw: () => "" }];
  }
  return decoded.map((value: unknown) => ({ checked: checkValue(value, schema), raw: () => JSON.stringify(value) }));
}

export function isBatch(msg: JsMsg): boolean {
  const value = msg.headers?.get(EVENT_BATCH_HEADER);
  return value !== undefined && value !== "";
}

function checkValue<S extends v.GenericSchema>(value: unknown, schema: S): CheckedPayload<v.InferOutput<S>> {
  const parsed = checkSchema(schema, value);
  if (parsed.success) return { ok: true, payload: parsed.output };
  const first = parsed.issues[0];
  const path = first?.path?.map((p) => String(p.key)).join(".") ?? "";
  return { ok: false, reason: `outside its contract: ${path === "" ? "" : `${path}: `}${first?.message ?? "invalid"}` };
}
