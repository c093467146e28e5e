/**
 * The log explorer's query syntax: `user:alice model:gpt-4o status:>=400 "free text" words`. Terms are
 * `field:value` (value optionally quoted, numeric fields take >, >=, <, <=, != or =), quoted phrases and bare words
 * (free text). Parsing is pure and strict: anything it cannot read is a `bad_request` naming the problem, never a
 * guess; values are later bound as typed literals, never pasted into SQL.
 */
import { AppError } from "@thinkwatch/errors";

export type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=";

export interface FieldTerm {
  field: string;
  op: Operator;
  value: string;
}

export interface ParsedQuery {
  terms: FieldTerm[];
  /** Free-text phrases, each matched case-insensitively as a substring. */
  text: string[];
}

const MAX_TERMS = 20;

/** A quoted string starting at `start` (on the opening quote): its value and the index after the closing quote. */
function readQuoted(input: string, start: number): { value: string; end: number } {
  let value = "";
  for (let i = start + 1; i < input.length; i++) {
    const c = input[i] as string;
    if (c === "\\") {
      const next = input[i + 1];
      if (next === undefined) break;
      value += next;
      i++;
    } else if (c === '"') {
      return { value, end: i + 1 };
    } else value += c;
  }
  throw new AppError("bad_request", `unterminated quote at position ${start + 1} of the query`);
}

function readWord(input: string, start: number): { value: string; end: number } {
  let end = start;
  while (end < input.length && !/\s/.test(input[end] as string)) end++;
  return { value: input.slice(start, end), end };
}

export function parseLogQuery(input: string): ParsedQuery {
  const terms: FieldTerm[] = [];
  const text: string[] = [];
  let i = 0;
  while (i < input.length) {
    if (/\s/.test(input[i] as string)) {
      i++;
      continue;
    }
    if (input[i] === '"') {
      const quoted = readQuoted(input, i);
      if (quoted.value !== "") text.push(quoted.value);
      i = quoted.end;
    } else {
      const field = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(input.slice(i, i + 40));
      if (field === null) {
        const word = readWord(input, i);
        text.push(word.value);
        i = word.end;
      } else {
        i += field[0].length;
        const op = /^(>=|<=|!=|>|<|=)/.exec(input.slice(i))?.[1] as Operator | undefined;
        if (op !== undefined) i += op.length;
        const value = input[i] === '"' ? readQuoted(input, i) : readWord(input, i);
        if (value.value === "") {
          throw new AppError("bad_request", `${field[1]}: needs a value (write ${field[1]}:value or ${field[1]}:"a value")`);
        }
        terms.push({ field: (field[1] as string).toLowerCase(), op: op ?? "=", value: value.value });
        i = value.end;
      }
    }
    if (terms.length + text.length > MAX_TERMS) throw new AppError("bad_request", `a query has at most ${MAX_TERMS} terms`);
  }
  return { terms, text };
}
