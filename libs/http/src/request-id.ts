/** Request ids: accept a sane incoming X-Request-Id (so traces join up), otherwise mint one. */
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";
const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdOf(incoming: string | undefined): string {
  return incoming !== undefined && ACCEPTABLE.test(incoming) ? incoming : randomUUID();
}
