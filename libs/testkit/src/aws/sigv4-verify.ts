/**
 * Server-side check of a SigV4-signed request, as an AWS service does it. Used by the fake Bedrock upstream so
 * that tests prove the gateway (and the AWS SDK) sign exactly what AWS would accept.
 */
import { timingSafeEqual } from "node:crypto";
import {
  type AwsCredentials,
  canonicalRequest,
  computeSignature,
  SIGV4_ALGORITHM,
  sha256Hex,
  UNSIGNED_PAYLOAD,
} from "@thinkwatch/providers";

export interface AwsSignedRequest {
  method: string;
  /** The request target as received (`/path?query`, still percent-encoded) or an absolute URL. */
  url: string;
  /** Header names in any case; repeated headers as arrays (Node's `IncomingMessage.headersDistinct` fits). */
  headers: Record<string, string | string[] | undefined>;
  body?: string | Uint8Array;
}

/** Finds the secret for an access key id; `undefined` means the key is unknown. */
export type AwsCredentialsLookup = (accessKeyId: string) => AwsCredentials | undefined;

export interface VerifyAwsSignatureOptions {
  now?: Date;
  /** How far `x-amz-date` may be from `now`; AWS allows 15 minutes. */
  maxSkewMs?: number;
  /** When set, the credential scope must name this region / service. */
  region?: string;
  service?: string;
}

export type AwsSignatureFailure =
  | "missing_authorization"
  | "malformed_authorization"
  | "unknown_access_key"
  | "invalid_session_token"
  | "request_expired"
  | "scope_mismatch"
  | "payload_mismatch"
  | "signature_mismatch";

export type AwsSignatureVerdict =
  | { ok: true; accessKeyId: string; region: string; service: string; signedHeaders: string[] }
  | { ok: false; reason: AwsSignatureFailure; message: string };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.:-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

export function verifyAwsSignature(
  request: AwsSignedRequest,
  lookup: AwsCredentialsLookup,
  options: VerifyAwsSignatureOptions = {},
): AwsSignatureVerdict {
  const headers = lowerCaseHeaders(request.headers);
  const authorization = headers.authorization;
  if (authorization === undefined) return fail("missing_authorization", "Missing Authentication Token");
  const match = AUTHORIZATION.exec(authorization.trim());
  if (match === null) return fail("malformed_authorization", `Authorization header is not a valid ${SIGV4_ALGORITHM} signature`);
  const [, accessKeyId, scopeDate, region, service, signedList, signature] = match as unknown as string[];
  const signedHeaders = (signedList as string).split(";");
  // Over HTTP/2 the AWS SDK signs the :authority pseudo-header in place of host.
  if (!signedHeaders.includes("host") && !signedHeaders.includes(":authority")) {
    return fail("malformed_authorization", "SignedHeaders must include host");
  }

  const credentials = lookup(accessKeyId as string);
  if (credentials === undefined) return fail("unknown_access_key", "The security token included in the request is invalid.");
  if (credentials.sessionToken !== undefined && headers["x-amz-security-token"] !== credentials.sessionToken) {
    return fail("invalid_session_token", "The security token included in the request is invalid.");
  }

  const amzDate = headers["x-amz-date"];
  const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || signedAt === undefined || !signedHeaders.includes("x-amz-date")) {
    return fail("malformed_authorization", "x-amz-date must be present, well-formed and signed");
  }
  const now = options.now ?? new Date();
  if (Math.abs(now.getTime() - signedAt.getTime()) > (options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    return fail("request_expired", `Signature expired: ${amzDate} is too far from the server time ${now.toISOString()}`);
  }
  if (
    amzDate.slice(0, 8) !== scopeDate ||
    (options.region !== undefined && region !== options.region) ||
    (options.service !== undefined && service !== options.service)
  ) {
    return fail(
      "scope_mismatch",
      `Credential should be scoped to a valid date, region ${options.region ?? region} and service ${options.service ?? service}`,
    );
  }

  const bodyHash = sha256Hex(request.body);
  const declaredHash = headers["x-amz-content-sha256"];
  if (declaredHash !== undefined && declaredHash !== UNSIGNED_PAYLOAD && declaredHash !== bodyHash) {
    return fail("payload_mismatch", "The provided x-amz-content-sha256 header does not match what was computed.");
  }

  const { path, query } = splitTarget(request.url);
  const canonical = canonicalRequest({
    method: request.method,
    path,
    query,
    headers,
    signedHeaders,
    payloadHash: declaredHash ?? bodyHash,
  });
  const expected = computeSignature(credentials.secretAccessKey, amzDate, region as string, service as string, canonical);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature as string))) {
    return fail(
      "signature_mismatch",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return { ok: true, accessKeyId: accessKeyId as string, region: region as string, service: service as string, signedHeaders };
}

function fail(reason: AwsSignatureFailure, message: string): AwsSignatureVerdict {
  return { ok: false, reason, message };
}

function lowerCaseHeaders(headers: AwsSignedRequest["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(",") : value;
    const lower = name.toLowerCase();
    out[lower] = out[lower] === undefined ? joined : `${out[lower]},${joined}`;
  }
  // HTTP/2 carries the host as the :authority pseudo-header; servers may surface either name.
  if (out.host === undefined && out[":authority"] !== undefined) out.host = out[":authority"];
  if (out[":authority"] === undefined && out.host !== undefined) out[":authority"] = out.host;
  return out;
}

function splitTarget(url: string): { path: string; query: string } {
  const target = url.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, "");
  const hash = target.indexOf("#");
  const withoutHash = hash === -1 ? target : target.slice(0, hash);
  const q = withoutHash.indexOf("?");
  return q === -1
    ? { path: withoutHash || "/", query: "" }
    : { path: withoutHash.slice(0, q) || "/", query: withoutHash.slice(q + 1) };
}

function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
