/**
 * Turns valibot issues into one plain-words AppError("validation_failed") naming the bad field, e.g.
 * "invalid request: messages[0].role must be one of "user" | "assistant" (got "bot")".
 */
import { AppError } from "@thinkwatch/errors";
import * as v from "valibot";

type Issue = v.BaseIssue<unknown>;

export function parseRequestBody<TSchema extends v.GenericSchema>(schema: TSchema, body: unknown): v.InferOutput<TSchema> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("validation_failed", "invalid request: the body must be a JSON object");
  }
  const result = v.safeParse(schema, body, { abortEarly: false });
  if (result.success) return result.output;
  const deepest = result.issues.slice(0, 5).map(deepestIssue);
  const problems = deepest.map(describeIssue);
  // `param` names the first bad field, as OpenAI's error object does.
  const param = deepest[0] === undefined ? undefined : issuePath(deepest[0]);
  throw new AppError("validation_failed", `invalid request: ${problems.join("; ")}`, {
    details: param === undefined || param === "body" ? { issues: problems } : { issues: problems, param },
  });
}

/** A union failure says only "expected A | B"; the branch that got furthest names the real problem. */
function deepestIssue(issue: Issue): Issue {
  if (issue.type !== "union" || issue.issues === undefined || issue.issues.length === 0) return issue;
  let best = issue;
  let bestDepth = issue.path?.length ?? 0;
  for (const sub of issue.issues) {
    const candidate = deepestIssue(sub);
    const depth = candidate.path?.length ?? 0;
    if (depth > bestDepth) {
      best = candidate;
      bestDepth = depth;
    }
  }
  return best;
}

export function issuePath(issue: Issue): string {
  let out = "";
  for (const item of issue.path ?? []) {
    const key = item.key;
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "body" : out;
}

function describeIssue(issue: Issue): string {
  const path = issuePath(issue);
  if (issue.message.startsWith("Invalid key:") && issue.received === "undefined") return `${path} is required`;
  const typeMismatch = /^Invalid type: Expected (.+) but received (.+)$/.exec(issue.message);
  if (typeMismatch !== null) {
    const expected = (typeMismatch[1] ?? "")
      .replace(/[()]/g, "")
      .replace(/\bArray\b/g, "array")
      .replace(/\bObject\b/g, "object");
    const oneOf = expected.includes('"') ? "one of " : "";
    return `${path} must be ${oneOf}${expected} (got ${typeMismatch[2]})`;
  }
  return `${path}: ${issue.message}`;
}

/**
 * Picks the schema by the value of `key`, so a known type reports its own missing fields (a union would only say
 * "expected A | B") and unknown types fall to `fallback`, for the vendor block types a format may add later.
 */
export function discriminated<TOptions extends Record<string, v.GenericSchema>, TFallback extends v.GenericSchema>(
  key: string,
  options: TOptions,
  fallback: TFallback,
  defaultKey?: string,
) {
  return v.lazy((input: unknown): TOptions[keyof TOptions] | TFallback => {
    const value = typeof input === "object" && input !== null ? (input as Record<string, unknown>)[key] : undefined;
    const name = typeof value === "string" ? value : value === undefined ? defaultKey : undefined;
    return name !== undefined && Object.hasOwn(options, name) ? (options[name] as TOptions[keyof TOptions]) : fallback;
  });
}

/** Content that is either a string or a list of parts; a bad part is reported at its own path. */
export function stringOrArray<TItem extends v.GenericSchema>(item: TItem) {
  const list = v.array(item);
  const either = v.union([v.string(), list]);
  return v.lazy((input: unknown) => (typeof input === "string" ? v.string() : Array.isArray(input) ? list : either));
}
