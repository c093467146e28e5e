/** Lenient validation of upstream response bodies: a shape we cannot read is the upstream's fault (502). */
import { AppError } from "@thinkwatch/errors";
import * as v from "valibot";
import { issuePath } from "./validation.js";

export function parseUpstreamBody<TSchema extends v.GenericSchema>(
  schema: TSchema,
  body: unknown,
  what: string,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const where = issue === undefined ? "" : ` at ${issuePath(issue)}`;
  throw new AppError("upstream_error", `${what} returned a response the gateway cannot read${where}`, {
    details: { issue: issue?.message },
  });
}

/** Collects the keys of `body` that a decoder does not model, for same-format re-encoding. */
export function unknownFields(body: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(body)) {
    if (known.has(key)) continue;
    out ??= {};
    out[key] = body[key];
  }
  return out;
}
