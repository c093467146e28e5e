import { createHash } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { AwsSdkSha256 } from "../../test/support/aws-sdk-sha256.js";
import { bedrockRuntimePath } from "./bedrock-paths.js";
import { canonicalRequest, signAwsRequest } from "./sigv4.js";

// The credentials, date, region and service of AWS's published SigV4 test suite.
const SUITE = {
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  region: "us-east-1",
  service: "service",
  now: new Date("2015-08-30T12:36:00Z"),
};
const HOST = "https://example.amazonaws.com";
const STS_TOKEN =
  "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

interface Vector {
  name: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  sessionToken?: string;
  signedHeaders: string;
  signature: string;
}

// Expected values are those of the AWS SigV4 test suite (aws-sig-v4-test-suite and its successor in aws-c-auth).
const VECTORS: Vector[] = [
  {
    name: "get-vanilla",
    method: "GET",
    url: `${HOST}/`,
    signedHeaders: "host;x-amz-date",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    name: "get-vanilla-query-order-key-case",
    method: "GET",
    url: `${HOST}/?Param2=value2&Param1=value1`,
    signedHeaders: "host;x-amz-date",
    signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
  },
  {
    name: "get-vanilla-query-order-encoded",
    method: "GET",
    url: `${HOST}/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1`,
    signedHeaders: "host;x-amz-date",
    signature: "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac",
  },
  {
    name: "get-vanilla-query-unreserved",
    method: "GET",
    url: `${HOST}/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz`,
    signedHeaders: "host;x-amz-date",
    signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
  },
  {
    name: "get-vanilla-utf8-query",
    method: "GET",
    url: `${HOST}/?ሴ=bar`,
    signedHeaders: "host;x-amz-date",
    signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
  },
  {
    name: "get-vanilla-empty-query-key",
    method: "GET",
    url: `${HOST}/?Param1=value1`,
    signedHeaders: "host;x-amz-date",
    signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
  },
  {
    name: "get-utf8",
    method: "GET",
    url: `${HOST}/ሴ`,
    signedHeaders: "host;x-amz-date",
    signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
  },
  {
    name: "get-unreserved",
    method: "GET",
    url: `${HOST}/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz`,
    signedHeaders: "host;x-amz-date",
    signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
  },
  {
    name: "get-space-normalized",
    method: "GET",
    url: `${HOST}/example space/`,
    signedHeaders: "host;x-amz-date",
    signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
  },
  {
    name: "get-slashes-normalized",
    method: "GET",
    url: `${HOST}//example//`,
    signedHeaders: "host;x-amz-date",
    signature: "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
  },
  {
    name: "get-relative-relative-normalized",
    method: "GET",
    url: `${HOST}/example1/example2/../..`,
    signedHeaders: "host;x-amz-date",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    name: "get-header-value-trim",
    method: "GET",
    url: `${HOST}/`,
    headers: { "My-Header1": "value1", "My-Header2": '"a   b   c"' },
    signedHeaders: "host;my-header1;my-header2;x-amz-date",
    signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
  },
  {
    name: "get-header-key-duplicate",
    method: "GET",
    url: `${HOST}/`,
    headers: { "My-Header1": "value2,value2,value1" },
    signedHeaders: "host;my-header1;x-amz-date",
    signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
  },
  {
    name: "post-vanilla",
    method: "POST",
    url: `${HOST}/`,
    signedHeaders: "host;x-amz-date",
    signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
  },
  {
    name: "post-vanilla-query",
    method: "POST",
    url: `${HOST}/?Param1=value1`,
    signedHeaders: "host;x-amz-date",
    signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
  },
  {
    name: "post-header-key-sort",
    method: "POST",
    url: `${HOST}/`,
    headers: { "My-Header1": "value1" },
    signedHeaders: "host;my-header1;x-amz-date",
    signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c",
  },
  {
    name: "post-header-value-case",
    method: "POST",
    url: `${HOST}/`,
    headers: { "My-Header1": "VALUE1" },
    signedHeaders: "host;my-header1;x-amz-date",
    signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
  },
  {
    name: "post-x-www-form-urlencoded",
    method: "POST",
    url: `${HOST}/`,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "Param1=value1",
    signedHeaders: "content-type;host;x-amz-date",
    signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
  },
  {
    name: "get-vanilla-with-session-token",
    method: "GET",
    url: `${HOST}/`,
    sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
    signedHeaders: "host;x-amz-date;x-amz-security-token",
    signature: "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
  },
  {
    name: "post-sts-header-before",
    method: "POST",
    url: `${HOST}/`,
    sessionToken: STS_TOKEN,
    signedHeaders: "host;x-amz-date;x-amz-security-token",
    signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
  },
];

describe("signAwsRequest against the AWS SigV4 test suite", () => {
  it.each(VECTORS)("$name", (vector) => {
    const credentials =
      vector.sessionToken === undefined ? SUITE.credentials : { ...SUITE.credentials, sessionToken: vector.sessionToken };
    const added = signAwsRequest({
      ...SUITE,
      credentials,
      method: vector.method,
      url: vector.url,
      headers: vector.headers ?? {},
      body: vector.body,
    });
    const expected: Record<string, string> = {
      "x-amz-date": "20150830T123600Z",
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${vector.signedHeaders}, Signature=${vector.signature}`,
    };
    if (vector.sessionToken !== undefined) expected["x-amz-security-token"] = vector.sessionToken;
    expect(added).toEqual(expected);
  });

  it("signs x-amz-content-sha256 when sent, as S3's documented GET Object example shows", () => {
    const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const added = signAwsRequest({
      method: "GET",
      url: "https://examplebucket.s3.amazonaws.com/test.txt",
      headers: { Range: "bytes=0-9", "x-amz-content-sha256": emptyHash },
      region: "us-east-1",
      service: "s3",
      credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
      now: new Date("2013-05-24T00:00:00Z"),
    });
    expect(added.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });

  it("builds the suite's canonical request for post-x-www-form-urlencoded", () => {
    expect(
      canonicalRequest({
        method: "POST",
        path: "/",
        query: "",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          host: "example.amazonaws.com",
          "x-amz-date": "20150830T123600Z",
        },
        signedHeaders: ["content-type", "host", "x-amz-date"],
        payloadHash: createHash("sha256").update("Param1=value1").digest("hex"),
      }),
    ).toBe(
      [
        "POST",
        "/",
        "",
        "content-type:application/x-www-form-urlencoded",
        "host:example.amazonaws.com",
        "x-amz-date:20150830T123600Z",
        "",
        "content-type;host;x-amz-date",
        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
      ].join("\n"),
    );
  });

  it("leaves hop-by-hop headers such as user-agent and connection out of the signature", () => {
    const plain = signAwsRequest({ ...SUITE, method: "GET", url: `${HOST}/`, headers: {} });
    const withHopHeaders = signAwsRequest({
      ...SUITE,
      method: "GET",
      url: `${HOST}/`,
      headers: { "User-Agent": "x/1", Connection: "keep-alive" },
    });
    expect(withHopHeaders).toEqual(plain);
  });

  it("puts a non-default port into the signed host", () => {
    const onPort = signAwsRequest({ ...SUITE, method: "GET", url: "http://127.0.0.1:8123/", headers: {} });
    const withHostHeader = signAwsRequest({
      ...SUITE,
      method: "GET",
      url: "http://ignored/",
      headers: { host: "127.0.0.1:8123" },
    });
    expect(onPort).toEqual(withHostHeader);
    expect(signAwsRequest({ ...SUITE, method: "GET", url: "https://example.amazonaws.com:443/", headers: {} })).toEqual(
      signAwsRequest({ ...SUITE, method: "GET", url: `${HOST}/`, headers: {} }),
    );
  });
});

describe("signAwsRequest agrees with the AWS SDK's signer on Bedrock requests", () => {
  const credentials = {
    accessKeyId: "AKIAEXAMPLEBEDROCK",
    secretAccessKey: "bedrock-secret/EXAMPLE+key",
    sessionToken: "session-token-EXAMPLE",
  };
  const cases = [
    { name: "model id with a colon", modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0", operation: "converse" as const },
    {
      name: "inference-profile ARN with slashes",
      modelId: "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0",
      operation: "converse-stream" as const,
    },
  ];

  it.each(cases)("$name", async ({ modelId, operation }) => {
    const host = "bedrock-runtime.eu-west-1.amazonaws.com";
    const path = bedrockRuntimePath(modelId, operation);
    const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: "héllo" }] }] });
    const now = new Date("2025-01-02T03:04:05Z");
    const sdk = new SignatureV4({ service: "bedrock", region: "eu-west-1", credentials, sha256: AwsSdkSha256 });
    const signed = await sdk.sign(
      {
        method: "POST",
        protocol: "https:",
        hostname: host,
        path,
        query: {},
        headers: { host, "content-type": "application/json" },
        body,
      },
      { signingDate: now },
    );
    const ours = signAwsRequest({
      method: "POST",
      url: `https://${host}${path}`,
      headers: { "content-type": "application/json", "x-amz-content-sha256": signed.headers["x-amz-content-sha256"] as string },
      body,
      region: "eu-west-1",
      service: "bedrock",
      credentials,
      now,
    });
    expect(ours).toEqual({
      authorization: signed.headers.authorization,
      "x-amz-date": signed.headers["x-amz-date"],
      "x-amz-security-token": signed.headers["x-amz-security-token"],
    });
    expect(path).toMatch(/%3A0\/converse/);
  });

  it("signs the same whether or not x-amz-content-sha256 is sent when the SDK omits it", async () => {
    const host = "bedrock-runtime.us-east-1.amazonaws.com";
    const path = bedrockRuntimePath("amazon.nova-lite-v1:0", "converse");
    const body = '{"messages":[]}';
    const now = new Date("2025-01-02T03:04:05Z");
    const sdk = new SignatureV4({
      service: "bedrock",
      region: "us-east-1",
      credentials,
      sha256: AwsSdkSha256,
      applyChecksum: false,
    });
    const signed = await sdk.sign(
      {
        method: "POST",
        protocol: "https:",
        hostname: host,
        path,
        query: {},
        headers: { host, "content-type": "application/json" },
        body,
      },
      { signingDate: now },
    );
    const ours = signAwsRequest({
      method: "POST",
      url: `https://${host}${path}`,
      headers: { "content-type": "application/json" },
      body,
      region: "us-east-1",
      service: "bedrock",
      credentials,
      now,
    });
    expect(ours.authorization).toBe(signed.headers.authorization);
    expect(signed.headers["x-amz-content-sha256"]).toBeUndefined();
  });
});
