/**
 * `v.safeParse` with the same verdicts and the same output, without valibot's per-field bookkeeping for the value that
 * passes. Every message that crosses a service boundary is checked against its contract; valibot builds a dataset
 * object per field for each check (about 150 ns and a few hundred bytes a field), which made the check dearer than the
 * work the consumer does with the message. Here a schema is compiled once into plain functions that test the value and
 * build the output valibot would give (objects keep only their named keys, in the schema's order); an object's members
 * are checked by one function generated from the schema's own keys (never from input). Only a subset is
 * compiled: objects, arrays, strings, numbers, booleans, null, literals, picklists, custom checks, optional / nullable /
 * nullish (with fixed defaults), and pipes of validations (integer, min/max value and length, regex, UUID, finite).
 * Any other schema (transformations, computed defaults, fallbacks, unions, records, loose objects…) is left to
 * valibot. A value the
 * compiled check refuses is parsed again by valibot, so issues and messages are exactly valibot's.
 */
import * as v from "valibot";

type Node = { kind?: string; type?: string; async?: boolean; [key: string]: unknown };

/** What a compiled check returns for a value outside the schema. */
const FAIL: unique symbol = Symbol("fail");
type Run = (value: unknown) => unknown;

const OPTIONAL_TYPES = new Set(["optional", "nullish"]);

/** A global or sticky pattern keeps state between tests; checked twice (here, then by valibot) it could answer apart. */
function patternTest(requirement: unknown): ((value: unknown) => boolean) | undefined {
  if (!(requirement instanceof RegExp) || requirement.global || requirement.sticky) return undefined;
  return (value) => requirement.test(value as string);
}

const ACTIONS: Record<string, (requirement: unknown) => ((value: unknown) => boolean) | undefined> = {
  integer: () => (value) => Number.isInteger(value),
  finite: () => (value) => Number.isFinite(value),
  min_value: (requirement) => (value) => (value as number) >= (requirement as number),
  max_value: (requirement) => (value) => (value as number) <= (requirement as number),
  min_length: (requirement) => (value) => (value as string).length >= (requirement as number),
  max_length: (requirement) => (value) => (value as string).length <= (requirement as number),
  regex: (requirement) => patternTest(requirement),
  uuid: (requirement) => patternTest(requirement),
};

function compileAction(action: Node): ((value: unknown) => boolean) | undefined {
  if (action.kind !== "validation" || action.async === true || typeof action.type !== "string") return undefined;
  return ACTIONS[action.type]?.(action.requirement);
}

function compile(schema: Node): Run | undefined {
  if (schema.kind !== "schema" || schema.async === true || schema.fallback !== undefined) return undefined;
  const pipe = schema.pipe as Node[] | undefined;
  if (pipe !== undefined) {
    // The first item is the schema piped (itself possibly a pipe); the rest run in order on its output.
    const first = pipe[0] === undefined ? undefined : compile(pipe[0]);
    if (first === undefined) return undefined;
    const checks: Array<(value: unknown) => boolean> = [];
    for (const item of pipe.slice(1)) {
      if (item.kind === "metadata") continue;
      const check = compileAction(item);
      if (check === undefined) return undefined;
      checks.push(check);
    }
    return (value) => {
      const out = first(value);
      if (out === FAIL) return FAIL;
      for (const check of checks) if (!check(out)) return FAIL;
      return out;
    };
  }
  switch (schema.type) {
    case "string":
      return (value) => (typeof value === "string" ? value : FAIL);
    case "number":
      return (value) => (typeof value === "number" && !Number.isNaN(value) ? value : FAIL);
    case "boolean":
      return (value) => (typeof value === "boolean" ? value : FAIL);
    case "null":
      return (value) => (value === null ? value : FAIL);
    case "literal": {
      const literal = schema.literal;
      // SameValueZero, as valibot compares.
      return (value) => (value === literal || (Number.isNaN(value) && Number.isNaN(literal)) ? value : FAIL);
    }
    case "picklist": {
      const options = schema.options as readonly unknown[];
      return (value) => (options.includes(value) ? value : FAIL);
    }
    case "custom": {
      const check = schema.check as (value: unknown) => boolean;
      return (value) => (check(value) ? value : FAIL);
    }
    case "optional":
    case "nullable":
    case "nullish": {
      // A default takes the place of the missing value and is then checked as a value; computed defaults stay valibot's.
      const fallbackValue = schema.default;
      if (typeof fallbackValue === "function") return undefined;
      const wrapped = compile(schema.wrapped as Node);
      if (wrapped === undefined) return undefined;
      const absent =
        schema.type === "optional"
          ? (value: unknown) => value === undefined
          : schema.type === "nullable"
            ? (value: unknown) => value === null
            : (value: unknown) => value === null || value === undefined;
      return (value) => {
        if (!absent(value)) return wrapped(value);
        if (fallbackValue === undefined) return value;
        return absent(fallbackValue) ? fallbackValue : wrapped(fallbackValue);
      };
    }
    case "array": {
      const item = compile(schema.item as Node);
      if (item === undefined) return undefined;
      return (value) => {
        if (!Array.isArray(value)) return FAIL;
        const out: unknown[] = [];
        for (const element of value) {
          const checked = item(element);
          if (checked === FAIL) return FAIL;
          out.push(checked);
        }
        return out;
      };
    }
    case "object":
      return compileObject(schema.entries as Record<string, Node>);
    default:
      return undefined;
  }
}

function compileObject(entries: Record<string, Node>): Run | undefined {
  const keys: string[] = [];
  const runs: Run[] = [];
  const optional: boolean[] = [];
  const defaulted: boolean[] = [];
  for (const key in entries) {
    const entry = entries[key] as Node;
    const run = compile(entry);
    if (run === undefined) return undefined;
    keys.push(key);
    runs.push(run);
    optional.push(OPTIONAL_TYPES.has(entry.type ?? ""));
    defaulted.push(OPTIONAL_TYPES.has(entry.type ?? "") && entry.default !== undefined);
  }
  // Generated once per schema: each member gets its own call site and a constant property name, which V8 keeps
  // monomorphic (a loop over the members costs several times more per field).
  const lines = keys.map((key, i) => {
    const name = JSON.stringify(key);
    const take = (from: string) => `{ const c = r[${i}](${from}); if (c === FAIL) return FAIL; out[${name}] = c; }`;
    const missing = defaulted[i] ? take("undefined") : optional[i] ? "{}" : "return FAIL;";
    return `if (${name} in input) ${take(`input[${name}]`)} else ${missing}`;
  });
  const source = `return function check(value) {
    if (!value || typeof value !== "object") return FAIL;
    const input = value;
    const out = {};
    ${lines.join("\n    ")}
    return out;
  };`;
  return new Function("r", "FAIL", source)(runs, FAIL) as Run;
}

const compiled = new WeakMap<object, Run | null>();

/** True when checkSchema answers `schema` without valibot for the values it accepts (for tests and benchmarks). */
export function isCompiled(schema: v.GenericSchema): boolean {
  return runOf(schema) !== null;
}

function runOf(schema: v.GenericSchema): Run | null {
  let run = compiled.get(schema);
  if (run === undefined) {
    run = compile(schema as unknown as Node) ?? null;
    compiled.set(schema, run);
  }
  return run;
}

/** `v.safeParse(schema, value)`, the same result, computed without valibot when the value passes a compiled check. */
export function checkSchema<S extends v.GenericSchema>(schema: S, value: unknown): v.SafeParseResult<S> {
  const run = runOf(schema);
  if (run !== null) {
    const output = run(value);
    if (output !== FAIL) return { typed: true, success: true, output, issues: undefined } as v.SafeParseResult<S>;
  }
  return v.safeParse(schema, value);
}
