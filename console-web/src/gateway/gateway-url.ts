/**
 * The gateway's base URL as clients should use it. The console runs on :3001 and the gateway on :3000 of the same
 * host in the default deployment, so the console derives it from its own address.
 */

export const GATEWAY_PORT = "3000";

/** `http://console.example:3001/setup` → `http://console.example:3000/v1` (IPv6 hosts keep their brackets). */
export function gatewayBaseUrl(consoleHref: string): string {
  const url = new URL(consoleHref);
  url.port = GATEWAY_PORT;
  return `${url.protocol}//${url.host}/v1`;
}
