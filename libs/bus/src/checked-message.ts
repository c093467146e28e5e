/** A JetStream message checked against its contract; one outside it is poison, reported with the reason. */

import type { JsMsg } from "@nats-io/jetstream";
import * as v from "valibot";
import { decodeJson } from "./codec.js";

export function checkedPayload<S extends v.GenericSchema>(
  msg: JsMsg,
  schema: S,
): { ok: true; payload: v.InferOutput<S> } | { ok: false; reason: string } {
  let decoded: unknown;
  try {
    decoded = decodeJson(msg.data);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  const parsed = v.safeParse(schema, decoded);
  if (parsed.success) return { ok: true, payload: parsed.output };
  const first = parsed.issues[0];
  const path = first?.path?.map((p) => String(p.key)).join(".") ?? "";
  return { ok: false, reason: `outside its contract: ${path === "" ? "" : `${path}: `}${first?.message ?? "invalid"}` };
}
