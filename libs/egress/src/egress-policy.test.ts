import { describe, expect, it } from "vitest";
import { checkUpstreamUrl } from "./egress-policy.js";

const open = { allowPrivate: true };
const closed = { allowPrivate: false };

describe("checkUpstreamUrl", () => {
  it.each([
    ["http://169.254.169.254/latest/meta-data", "169.254.169.254 is link-local (cloud metadata), which upstreams may never use"],
    ["http://2852039166/", "169.254.169.254 is link-local (cloud metadata), which upstreams may never use"],
    ["http://0xa9.0xfe.0xa9.0xfe/", "169.254.169.254 is link-local (cloud metadata), which upstreams may never use"],
    ["http://0251.0376.0251.0376/", "169.254.169.254 is link-local (cloud metadata), which upstreams may never use"],
    ["http://[::ffff:169.254.169.254]/", "[::ffff:a9fe:a9fe] is link-local (cloud metadata), which upstreams may never use"],
    ["http://[64:ff9b::a9fe:a9fe]/", "[64:ff9b::a9fe:a9fe] is link-local (cloud metadata), which upstreams may never use"],
    ["http://[fe80::1]/", "[fe80::1] is link-local, which upstreams may never use"],
    ["http://[fd00:ec2::254]/", "[fd00:ec2::254] is a cloud metadata address, which upstreams may never use"],
    ["http://100.100.100.200/", "100.100.100.200 is a cloud metadata address, which upstreams may never use"],
    ["http://metadata.google.internal/", "metadata.google.internal is a cloud metadata service"],
    ["http://METADATA.google.internal./", "metadata.google.internal is a cloud metadata service"],
    ["http://0.0.0.0:8080/", "0.0.0.0 is the 'this network' range, which upstreams may never use"],
    ["http://user@llm.example.com/", "must not contain credentials (user@host); put secrets in the API key or secret headers"],
    ["http://user:pw@llm.example.com/", "must not contain credentials (user@host); put secrets in the API key or secret headers"],
    ["ftp://llm.example.com/", "must be an http(s) URL"],
    ["not a url", "not a valid URL"],
  ])("refuses %s even when private upstreams are allowed", (url, reason) => {
    expect(checkUpstreamUrl(url, open)).toEqual({ allowed: false, reason });
  });

  it.each([
    "http://127.0.0.1:11434/v1",
    "http://localhost:8000",
    "http://10.1.2.3/v1",
    "http://192.168.1.10/v1",
    "http://[::1]:8080/",
    "https://api.openai.com/v1",
  ])("allows %s with the default policy", (url) => {
    expect(checkUpstreamUrl(url, open)).toEqual({ allowed: true });
  });

  it.each([
    ["http://127.0.0.1:11434/v1", "127.0.0.1 is loopback"],
    ["http://2130706433/", "127.0.0.1 is loopback"],
    ["http://017700000001/", "127.0.0.1 is loopback"],
    ["http://localhost:8000", "localhost is loopback"],
    ["http://api.localhost/", "api.localhost is loopback"],
    ["http://[::1]/", "[::1] is loopback"],
    ["http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1] is loopback"],
    ["http://10.1.2.3/", "10.1.2.3 is a private range"],
    ["http://172.20.0.1/", "172.20.0.1 is a private range"],
    ["http://192.168.0.1/", "192.168.0.1 is a private range"],
    ["http://[fd12::1]/", "[fd12::1] is unique-local"],
  ])("refuses %s when private upstreams are off", (url, start) => {
    const verdict = checkUpstreamUrl(url, closed);
    expect(verdict).toEqual({
      allowed: false,
      reason: `${start} and private upstreams are not allowed (security.allowPrivateUpstreams)`,
    });
  });

  it("still allows public addresses when private upstreams are off", () => {
    expect(checkUpstreamUrl("https://8.8.8.8/", closed)).toEqual({ allowed: true });
    expect(checkUpstreamUrl("https://[2606:4700::1111]/", closed)).toEqual({ allowed: true });
    expect(checkUpstreamUrl("https://172.32.0.1/", closed)).toEqual({ allowed: true });
  });
});
