/**
 * Rules for the extra headers the gateway sends upstream (a provider's headers, an MCP server's headers): a valid
 * token as the name, no CR/LF/NUL in values (header injection), no Host override and no hop-by-hop or framing
 * headers (request smuggling). Secret-looking names must be given as secret headers, which are stored encrypted and
 * never read back.
 */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "proxy-authenticate",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "content-length",
  "expect",
]);
const SECRET_NAME = /authorization|api[-_]?key|token|secret|password|cookie|credential|signature/i;

export const MAX_HEADERS = 32;

/** Problems with one header map, keyed by field path (`<prefix>.<name>`), empty when it is fine. */
export function headerProblems(
  prefix: string,
  headers: Record<string, unknown>,
  kind: "plain" | "secret",
): Record<string, string> {
  const problems: Record<string, string> = {};
  const entries = Object.entries(headers);
  if (entries.length > MAX_HEADERS) problems[prefix] = `at most ${MAX_HEADERS} headers`;
  for (const [name, value] of entries) {
    const field = `${prefix}.${name}`;
    const lower = name.toLowerCase();
    if (!TOKEN.test(name) || name.length > 100) problems[field] = "a header name is letters, digits and !#$%&'*+-.^_`|~";
    else if (FORBIDDEN.has(lower)) problems[field] = `the ${lower} header is set by the gateway and cannot be overridden`;
    else if (typeof value !== "string") problems[field] = "a header value must be a string";
    else if (/[\r\n\0]/.test(value)) problems[field] = "a header value must not contain CR, LF or NUL";
    else if (value.length > 8192) problems[field] = "a header value is at most 8192 characters";
    else if (kind === "plain" && SECRET_NAME.test(name)) {
      problems[field] = "this looks like a secret; send it in secretHeaders (stored encrypted) instead";
    }
  }
  return problems;
}
