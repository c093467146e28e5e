/**
 * AWS Signature Version 4 (header form, AWS4-HMAC-SHA256) for calling Bedrock and other AWS JSON APIs.
 * The canonicalisation follows the AWS SDK for non-S3 services: the path as sent on the wire is normalised
 * (empty, `.` and `..` segments removed) and percent-encoded once more, so Bedrock's `%3A` is signed as `%253A`.
 */
import { createHash, createHmac } from "node:crypto";
import { AppError } from "@thinkwatch/errors";
import { decodeUriLenient, encodeRfc3986 } from "./uri-encode.js";

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (STS) carry a session token, sent and signed as `x-amz-security-token`. */
  sessionToken?: string;
}

export interface SignAwsRequestInput {
  method: string;
  /** Absolute URL exactly as it goes on the wire: the path already percent-encoded (see `bedrockRuntimePath`). */
  url: string;
  /** The headers that will be sent with the request; all of them except hop-by-hop ones are signed. */
  headers: Record<string, string>;
  body?: string | Uint8Array;
  region: string;
  service: string;
  credentials: AwsCredentials;
  now?: Date;
}

/** Headers the SDK never signs: proxies and clients may add, drop or rewrite them in transit. */
const UNSIGNABLE = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);

export function isSignableHeader(lowerName: string): boolean {
  return !UNSIGNABLE.has(lowerName) && !lowerName.startsWith("proxy-") && !lowerName.startsWith("sec-");
}

/**
 * Signs a request and returns the headers to add to it: `authorization`, `x-amz-date` and, for temporary
 * credentials, `x-amz-security-token`. `x-amz-content-sha256` is signed when the caller sends it.
 */
export function signAwsRequest(input: SignAwsRequestInput): Record<string, string> {
  const { host, path, query } = splitUrl(input.url);
  const amzDate = formatAmzDate(input.now ?? new Date());
  const added: Record<string, string> = { "x-amz-date": amzDate };
  if (input.credentials.sessionToken !== undefined) added["x-amz-security-token"] = input.credentials.sessionToken;

  const toSign: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    const lower = name.toLowerCase();
    if (isSignableHeader(lower)) toSign[lower] = toSign[lower] === undefined ? value : `${toSign[lower]},${value}`;
  }
  toSign.host ??= host;
  Object.assign(toSign, added);
  const signedHeaders = Object.keys(toSign).sort();
  const payloadHash = toSign["x-amz-content-sha256"] ?? sha256Hex(input.body);

  const scope = credentialScope(amzDate, input.region, input.service);
  const canonical = canonicalRequest({ method: input.method, path, query, headers: toSign, signedHeaders, payloadHash });
  const signature = computeSignature(input.credentials.secretAccessKey, amzDate, input.region, input.service, canonical);
  added.authorization = `${SIGV4_ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
  return added;
}

export interface CanonicalRequestParts {
  method: string;
  /** Path as on the wire (percent-encoded), without the query. */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
  /** Lower-case header names to values (several values already joined with `,`). */
  headers: Record<string, string>;
  signedHeaders: string[];
  payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  const headerLines = parts.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(parts.headers[name] ?? "")}\n`).join("");
  return [
    parts.method.toUpperCase(),
    canonicalUri(parts.path),
    canonicalQuery(parts.query),
    headerLines,
    parts.signedHeaders.join(";"),
    parts.payloadHash,
  ].join("\n");
}

export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(encodeRfc3986(segment));
  }
  const trailing = segments.length > 0 && path.endsWith("/") ? "/" : "";
  return `/${segments.join("/")}${trailing}`;
}

export function canonicalQuery(query: string): string {
  const pairs: [string, string][] = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push([encodeRfc3986(decodeUriLenient(key)), encodeRfc3986(decodeUriLenient(value))]);
  }
  // Code-unit order equals byte order here: after encoding every character is ASCII.
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function canonicalHeaderValue(value: string): string {
  return value
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();
}

export function credentialScope(amzDate: string, region: string, service: string): string {
  return `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
}

export function computeSignature(secret: string, amzDate: string, region: string, service: string, canonical: string): string {
  const stringToSign = [SIGV4_ALGORITHM, amzDate, credentialScope(amzDate, region, service), sha256Hex(canonical)].join("\n");
  const key = signingKey(secret, amzDate.slice(0, 8), region, service);
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac("sha256", `AWS4${secret}`).update(date, "utf8").digest();
  const kRegion = createHmac("sha256", kDate).update(region, "utf8").digest();
  const kService = createHmac("sha256", kRegion).update(service, "utf8").digest();
  return createHmac("sha256", kService).update("aws4_request", "utf8").digest();
}

export function sha256Hex(body: string | Uint8Array | undefined): string {
  if (body === undefined || body.length === 0) return EMPTY_SHA256;
  return createHash("sha256").update(body).digest("hex");
}

/** `20150830T123600Z`: ISO 8601 basic format, UTC, whole seconds. */
export function formatAmzDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/**
 * Splits an absolute URL into host, raw path and raw query without the WHATWG normalisation `new URL` applies
 * (which would re-encode the path and change what gets signed).
 */
export function splitUrl(url: string): { host: string; path: string; query: string } {
  const match = /^(https?):\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/i.exec(url);
  if (match === null) throw new AppError("bad_request", "SigV4 signing needs an absolute http(s) URL", { details: { url } });
  const defaultPort = (match[1] as string).toLowerCase() === "https" ? ":443" : ":80";
  // The Host header carries no userinfo, and no port when it is the scheme's default (as HTTP clients send it).
  let host = (match[2] as string).slice((match[2] as string).lastIndexOf("@") + 1);
  if (host.endsWith(defaultPort)) host = host.slice(0, -defaultPort.length);
  return { host, path: match[3] || "/", query: match[4] ?? "" };
}
