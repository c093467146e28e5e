/** Parse the environment against a schema; on failure collect every problem, one line per variable. */
import * as v from "valibot";

export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export function parseEnv<TSchema extends v.GenericSchema<Record<string, string | undefined>, unknown>>(
  schema: TSchema,
  env: Record<string, string | undefined>,
): v.InferOutput<TSchema> {
  // Empty strings count as unset, so `FOO= npm start` falls back to the default like an absent variable.
  const cleaned: Record<string, string | undefined> = {};
  // Every variable the schema knows is present (maybe undefined), so a missing one is reported with the field's own
  // message ("is required; generate one with …") rather than a generic "invalid key".
  const entries = (schema as unknown as { entries?: Record<string, unknown> }).entries;
  if (entries !== undefined) for (const key of Object.keys(entries)) cleaned[key] = undefined;
  for (const [key, value] of Object.entries(env)) cleaned[key] = value === "" ? undefined : value;
  const result = v.safeParse(schema, cleaned, { abortEarly: false, abortPipeEarly: true });
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => ({
    variable: issue.path?.map((item) => String(item.key)).join(".") ?? "(environment)",
    // Never echo the received value: it may be a secret.
    message: issue.message,
  }));
  throw new ConfigError(problems);
}
