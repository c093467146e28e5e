/** Read a JSON body and validate it against a schema; every problem comes back in one 400 with field paths. */
import { AppError } from "@thinkwatch/errors";
import type { Context } from "hono";
import * as v from "valibot";
import { readJsonBody } from "./read-json-body.js";

const CONSOLE_BODY_LIMIT = 1024 * 1024;

export async function readValidatedJson<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  const { json } = await readJsonBody(c, CONSOLE_BODY_LIMIT);
  refuseNulBytes(json);
  return validate(schema, json);
}

const MAX_DEPTH = 32;

/**
 * NUL cannot be stored in PostgreSQL text and has no business in any console field; refuse it (and absurd nesting)
 * up front with the field named, instead of letting it surface as a database error.
 */
export function refuseNulBytes(value: unknown, path: string[] = []): void {
  if (path.length > MAX_DEPTH) {
    throw new AppError("validation_failed", `invalid request: nested deeper than ${MAX_DEPTH} levels`, {
      details: { fields: { [path.slice(0, 3).join(".") || "(body)"]: `nested deeper than ${MAX_DEPTH} levels` } },
    });
  }
  const fail = (where: string) => {
    throw new AppError("validation_failed", `invalid request: ${where}: must not contain NUL characters`, {
      details: { fields: { [where]: "must not contain NUL characters" } },
    });
  };
  if (typeof value === "string") {
    if (value.includes("\0")) fail(path.join(".") || "(body)");
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) refuseNulBytes(item, [...path, String(index)]);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\0")) fail([...path, key.replaceAll("\0", "\\0")].join("."));
      refuseNulBytes(item, [...path, key]);
    }
  }
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
