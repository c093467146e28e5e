/**
 * One request header by its lower-case name, read from Node's already-parsed header object when the app runs on
 * @hono/node-server: asking the WHATWG Request for it makes the adapter build and validate a whole Headers object
 * per request. Repeated headers arrive joined as Node joins them.
 */
import type { Context } from "hono";
import { nodeIncoming } from "./read-json-body.js";

export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = nodeIncoming(c);
  if (incoming === null) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
