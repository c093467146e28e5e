/**
 * An undici `connect` function that enforces the egress policy at connect time: IP literals are judged before
 * connecting and names are judged on every address DNS returns (one bad answer refuses the connection, so a
 * rebinding answer mixed with a good one does not slip through). The policy is read per connection, so a settings
 * change applies to the next connection without restarting.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { buildConnector } from "undici";
import { checkAddress, checkHost, type EgressPolicy } from "./egress-policy.js";

export type LookupFunction = typeof dnsLookup;

export interface EgressConnectorOptions {
  policy: () => EgressPolicy;
  /** Connect timeout in ms (undici's default is 10 s). */
  timeout?: number;
  /** Name resolution; the system resolver unless a test injects its own. */
  lookup?: LookupFunction;
}

export class EgressDeniedError extends Error {
  readonly code = "ERR_EGRESS_DENIED";
  constructor(reason: string) {
    super(`egress refused: ${reason}`);
    this.name = "EgressDeniedError";
  }
}

export function createEgressConnector(options: EgressConnectorOptions): buildConnector.connector {
  const resolve = options.lookup ?? dnsLookup;
  const checkedLookup = ((hostname: string, lookupOptions: object, callback: (...args: unknown[]) => void) => {
    resolve(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const policy = options.policy();
      for (const entry of addresses) {
        const verdict = checkAddress(entry.address, policy);
        if (!verdict.allowed) return callback(new EgressDeniedError(`${hostname} resolves to ${verdict.reason}`));
      }
      if ((lookupOptions as { all?: boolean }).all === true) return callback(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }));
      return callback(null, first.address, first.family);
    });
  }) as unknown as LookupFunction;
  const connect = buildConnector({ timeout: options.timeout ?? 10_000, lookup: checkedLookup } as buildConnector.BuildOptions);
  return (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, "");
    const verdict = isIP(host) === 0 ? checkHost(host, options.policy()) : checkAddress(host, options.policy());
    if (!verdict.allowed) {
      callback(new EgressDeniedError(verdict.reason), null);
      return;
    }
    connect(connectOptions, callback);
  };
}
