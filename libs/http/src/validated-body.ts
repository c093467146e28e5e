/** Read a JSON body and validate it against a schema; every problem comes back in one 400 with field paths. */
import { AppError } from "@thinkwatch/errors";
import type { Context } from "hono";
import * as v from "valibot";
import { readJsonBody } from "./read-json-body.js";

const CONSOLE_BODY_LIMIT = 1024 * 1024;

export async function readValidatedJson<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  const { json } = await readJsonBody(c, CONSOLE_BODY_LIMIT);
  return validate(schema, json);
}

export function validate<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortEarly: false });
  if (result.success) return result.output;
  const fields: Record<string, string> = {};
  for (const issue of result.issues) {
    const path = issue.path?.map((item) => String(item.key)).join(".") ?? "(body)";
    fields[path] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([path, message]) => `${path}: ${message}`)
    .join("; ");
  throw new AppError("validation_failed", `invalid request: ${summary}`, { details: { fields } });
}
