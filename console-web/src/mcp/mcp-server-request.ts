/**
 * The register-a-server form's values (strings, as inputs hold them), its checks, and the API request built from
 * them: arguments one per line, headers and environment as `NAME: value` / `NAME=value` lines.
 */
import type { FieldErrors } from "../api/api-error";
import type { McpServerInput } from "./mcp-api";

export interface McpServerFormValues {
  name: string;
  prefix: string;
  transport: "streamable_http" | "sse" | "stdio";
  url: string;
  command: string;
  args: string;
  env: string;
  headers: string;
  secretEnv: string;
}

export function emptyMcpServerForm(): McpServerFormValues {
  return {
    name: "",
    prefix: "",
    transport: "streamable_http",
    url: "",
    command: "",
    args: "",
    env: "",
    headers: "",
    secretEnv: "",
  };
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** `Name: value` (headers) or `NAME=value` (environment) lines as an object; null for a malformed line. */
export function parsePairs(text: string, separator: ":" | "="): Record<string, string> | null {
  const pairs: Record<string, string> = {};
  for (const line of lines(text)) {
    const at = line.indexOf(separator);
    if (at <= 0) return null;
    pairs[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return pairs;
}

export function missingMcpServerFields(values: McpServerFormValues): FieldErrors {
  const fields: FieldErrors = {};
  if (values.name.trim() === "") fields.name = "name is required";
  if (values.prefix.trim() !== "" && !/^[a-z0-9_]{1,32}$/.test(values.prefix.trim())) {
    fields.prefix = "prefix must be 1-32 characters of a-z, 0-9 and _";
  }
  if (values.transport === "stdio") {
    if (values.command.trim() === "") fields.command = "a stdio server needs a command";
    if (parsePairs(values.env, "=") === null) fields.env = "one NAME=value per line";
    if (parsePairs(values.secretEnv, "=") === null) fields.secretEnv = "one NAME=value per line";
  } else {
    if (values.url.trim() === "") fields.url = "the server's URL is required";
    if (parsePairs(values.headers, ":") === null) fields.headers = "one Name: value per line";
  }
  return fields;
}

export function buildMcpServerRequest(values: McpServerFormValues): McpServerInput {
  const stdio = values.transport === "stdio";
  return {
    name: values.name.trim(),
    ...(values.prefix.trim() === "" ? {} : { prefix: values.prefix.trim() }),
    transport: values.transport,
    url: stdio ? null : values.url.trim(),
    command: stdio ? values.command.trim() : null,
    args: stdio ? lines(values.args) : [],
    env: stdio ? (parsePairs(values.env, "=") ?? {}) : {},
    headers: stdio ? {} : (parsePairs(values.headers, ":") ?? {}),
    secretEnv: stdio ? (parsePairs(values.secretEnv, "=") ?? {}) : {},
    enabled: true,
  };
}
