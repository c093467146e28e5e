/**
 * The egress policy for upstream URLs (providers, MCP servers), checked when a URL is saved and again on every
 * connection, on the address the name resolved to (see egress-connector.ts), so a DNS change after saving is caught.
 */
import { classifyAddress } from "./address-class.js";

export interface EgressPolicy {
  /** Loopback and private ranges (local model servers) are allowed; `security.allowPrivateUpstreams`. */
  allowPrivate: boolean;
}

/** Names that reach cloud metadata services without an address in a blocked range being visible in the URL. */
const METADATA_HOSTNAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "metadata.azure.internal",
  "instance-data",
  "instance-data.ec2.internal",
]);

const LOCAL_HOSTNAMES = new Set(["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]);

export type EgressVerdict = { allowed: true } | { allowed: false; reason: string };

const refuse = (reason: string): EgressVerdict => ({ allowed: false, reason });

/** Judge a host: an IP literal (any form the URL parser accepts) or a name, before any resolution. */
export function checkHost(hostname: string, policy: EgressPolicy): EgressVerdict {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const classified = classifyAddress(host);
  if (classified !== null) return checkClass(host, classified.cls, classified.label, policy);
  if (METADATA_HOSTNAMES.has(host)) return refuse(`${host} is a cloud metadata service`);
  if (!policy.allowPrivate && (LOCAL_HOSTNAMES.has(host) || host.endsWith(".localhost"))) {
    return refuse(`${host} is loopback and private upstreams are not allowed (security.allowPrivateUpstreams)`);
  }
  return { allowed: true };
}

/** Judge a resolved address. */
export function checkAddress(address: string, policy: EgressPolicy): EgressVerdict {
  const classified = classifyAddress(address);
  if (classified === null) return refuse(`${address} is not an IP address`);
  return checkClass(address, classified.cls, classified.label, policy);
}

function checkClass(address: string, cls: string, label: string, policy: EgressPolicy): EgressVerdict {
  if (cls === "blocked") return refuse(`${address} is ${label}, which upstreams may never use`);
  if (cls === "private" && !policy.allowPrivate) {
    return refuse(`${address} is ${label} and private upstreams are not allowed (security.allowPrivateUpstreams)`);
  }
  return { allowed: true };
}

/**
 * Judge a URL as saved: http(s) only, no userinfo (credentials in URLs end up in logs and redirect tricks), and its
 * host per checkHost. The WHATWG parser normalises decimal, octal and hex IPv4 forms (`http://2852039166/`) and
 * IPv6 literals, so the check sees the address the connection would use.
 */
export function checkUpstreamUrl(raw: string, policy: EgressPolicy): EgressVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return refuse("must be an http(s) URL");
  if (url.username !== "" || url.password !== "") {
    return refuse("must not contain credentials (user@host); put secrets in the API key or secret headers");
  }
  if (url.hostname === "") return refuse("has no host");
  return checkHost(url.hostname, policy);
}
