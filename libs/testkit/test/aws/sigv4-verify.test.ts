import { createHash } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { type AwsCredentials, bedrockRuntimePath, signAwsRequest } from "@thinkwatch/providers";
import { describe, expect, it } from "vitest";
// The providers package's test helper, by relative path: testkit already depends on providers, so this adds no edge.
import { AwsSdkSha256 } from "../../../providers/test/support/aws-sdk-sha256.js";
import { type AwsSignedRequest, verifyAwsSignature } from "../../src/aws/sigv4-verify.js";

const KEYS: Record<string, AwsCredentials> = {
  AKIAFAKEPLAIN: { accessKeyId: "AKIAFAKEPLAIN", secretAccessKey: "plain-secret" },
  ASIAFAKETEMP: { accessKeyId: "ASIAFAKETEMP", secretAccessKey: "temp-secret", sessionToken: "temp-token" },
};
const lookup = (id: string) => KEYS[id];
const NOW = new Date("2025-03-04T05:06:07Z");
const HOST = "127.0.0.1:9000";
const PATH = bedrockRuntimePath("anthropic.claude-3-5-sonnet-20240620-v1:0", "converse");
const BODY = JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] });

function signed(credentials: AwsCredentials, extraHeaders: Record<string, string> = {}): AwsSignedRequest {
  const headers = { "content-type": "application/json", ...extraHeaders };
  const added = signAwsRequest({
    method: "POST",
    url: `http://${HOST}${PATH}`,
    headers,
    body: BODY,
    region: "us-east-1",
    service: "bedrock",
    credentials,
    now: NOW,
  });
  return { method: "POST", url: PATH, headers: { host: HOST, ...headers, ...added }, body: BODY };
}

describe("verifyAwsSignature", () => {
  it("accepts what signAwsRequest signs, with and without a session token", () => {
    for (const credentials of Object.values(KEYS)) {
      expect(verifyAwsSignature(signed(credentials), lookup, { now: NOW, region: "us-east-1", service: "bedrock" })).toEqual({
        ok: true,
        accessKeyId: credentials.accessKeyId,
        region: "us-east-1",
        service: "bedrock",
        signedHeaders:
          credentials.sessionToken === undefined
            ? ["content-type", "host", "x-amz-date"]
            : ["content-type", "host", "x-amz-date", "x-amz-security-token"],
      });
    }
  });

  it("accepts a request signed by the AWS SDK's signer (with x-amz-content-sha256 and the HTTP/2 :authority)", async () => {
    const sdk = new SignatureV4({
      service: "bedrock",
      region: "us-east-1",
      credentials: KEYS.ASIAFAKETEMP as AwsCredentials,
      sha256: AwsSdkSha256,
    });
    const request = await sdk.sign(
      {
        method: "POST",
        protocol: "http:",
        hostname: "127.0.0.1",
        port: 9000,
        path: PATH,
        query: {},
        headers: { host: HOST, "content-type": "application/json" },
        body: BODY,
      },
      { signingDate: NOW },
    );
    const { host, ...withoutHost } = request.headers;
    const http2Headers = { ":authority": host, ...withoutHost };
    expect(
      verifyAwsSignature({ method: "POST", url: PATH, headers: http2Headers, body: BODY }, lookup, { now: NOW }),
    ).toMatchObject({ ok: true });
  });

  it("accepts the :authority pseudo-header signed in place of host, as the AWS SDK does over HTTP/2", async () => {
    const sdk = new SignatureV4({
      service: "bedrock",
      region: "us-east-1",
      credentials: KEYS.AKIAFAKEPLAIN as AwsCredentials,
      sha256: AwsSdkSha256,
    });
    const request = await sdk.sign(
      {
        method: "POST",
        protocol: "http:",
        hostname: "127.0.0.1",
        port: 9000,
        path: PATH,
        query: {},
        headers: { ":authority": HOST, "content-type": "application/json" },
        body: BODY,
      },
      { signingDate: NOW },
    );
    expect(request.headers.authorization).toContain("SignedHeaders=:authority;content-type;");
    const { ":authority": authority, ...rest } = request.headers;
    expect(
      verifyAwsSignature({ method: "POST", url: PATH, headers: { host: authority, ...rest }, body: BODY }, lookup, { now: NOW }),
    ).toMatchObject({ ok: true });
    expect(
      verifyAwsSignature({ method: "POST", url: PATH, headers: { host: "elsewhere:1", ...rest }, body: BODY }, lookup, {
        now: NOW,
      }),
    ).toMatchObject({
      ok: false,
      reason: "signature_mismatch",
    });
  });

  const base = signed(KEYS.AKIAFAKEPLAIN as AwsCredentials);
  const withHeaders = (headers: Record<string, string | undefined>): AwsSignedRequest => ({
    ...base,
    headers: { ...base.headers, ...headers },
  });
  it.each([
    {
      name: "no Authorization header",
      request: withHeaders({ authorization: undefined }),
      reason: "missing_authorization",
      message: "Missing Authentication Token",
    },
    {
      name: "a non-SigV4 Authorization header",
      request: withHeaders({ authorization: "Bearer abc" }),
      reason: "malformed_authorization",
    },
    {
      name: "an unknown access key",
      request: withHeaders({ authorization: String(base.headers.authorization).replace("AKIAFAKEPLAIN", "AKIANOBODY") }),
      reason: "unknown_access_key",
      message: "The security token included in the request is invalid.",
    },
    { name: "a changed body", request: { ...base, body: `${BODY} ` }, reason: "signature_mismatch" },
    {
      name: "a changed path",
      request: { ...base, url: PATH.replace("converse", "converse-stream") },
      reason: "signature_mismatch",
    },
    { name: "a changed signed header", request: withHeaders({ "content-type": "text/plain" }), reason: "signature_mismatch" },
    {
      name: "a wrong secret",
      request: signed({ accessKeyId: "AKIAFAKEPLAIN", secretAccessKey: "guessed" }),
      reason: "signature_mismatch",
    },
    {
      name: "a missing session token",
      request: signed({ accessKeyId: "ASIAFAKETEMP", secretAccessKey: "temp-secret" }),
      reason: "invalid_session_token",
    },
    {
      name: "a body that does not match x-amz-content-sha256",
      request: {
        ...signed(KEYS.AKIAFAKEPLAIN as AwsCredentials, {
          "x-amz-content-sha256": createHash("sha256").update(BODY).digest("hex"),
        }),
        body: "{}",
      },
      reason: "payload_mismatch",
    },
  ])("refuses $name", ({ request, reason, message }) => {
    const verdict = verifyAwsSignature(request, lookup, { now: NOW });
    expect(verdict).toMatchObject({ ok: false, reason });
    if (message !== undefined) expect(verdict).toMatchObject({ message });
  });

  it.each([
    {
      name: "a signature older than the allowed skew",
      options: { now: new Date(NOW.getTime() + 16 * 60_000) },
      reason: "request_expired",
    },
    { name: "a signature from the future", options: { now: new Date(NOW.getTime() - 16 * 60_000) }, reason: "request_expired" },
    { name: "another region", options: { now: NOW, region: "eu-west-1" }, reason: "scope_mismatch" },
    { name: "another service", options: { now: NOW, service: "s3" }, reason: "scope_mismatch" },
  ])("refuses $name", ({ options, reason }) => {
    expect(verifyAwsSignature(base, lookup, options)).toMatchObject({ ok: false, reason });
  });

  it("accepts a signature within the allowed skew", () => {
    expect(verifyAwsSignature(base, lookup, { now: new Date(NOW.getTime() + 14 * 60_000) })).toMatchObject({ ok: true });
  });
});
