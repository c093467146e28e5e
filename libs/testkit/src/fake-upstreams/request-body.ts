/** Validating a fake's request body against the fields its provider requires, failing as a 400 would. */
import { AppError } from "@thinkwatch/errors";
import * as v from "valibot";

export function parseRequestBody<const S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  if (body === undefined) throw new AppError("bad_request", "request body must be a JSON object");
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join(".");
  throw new AppError("bad_request", path ? `${path}: ${issue.message}` : issue.message, { details: { path } });
}
