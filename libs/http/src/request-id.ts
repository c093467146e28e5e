/** Request ids: accept a sane incoming X-Request-Id (so traces join up), otherwise mint one. */
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";
const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdOf(incoming: string | undefined): string {
  return incoming !== undefined && ACCEPTABLE.test(incoming) ? incoming : randomUUID();
}

/** Responses built with their X-Request-Id already (see carryingRequestId). */
const carrying = new WeakSet<Response>();

/**
 * Says that a response was built with its X-Request-Id header: the app's middleware then leaves it alone instead of
 * looking (on Node, reading a response's headers builds a Headers object the server would otherwise never need).
 */
export function carryingRequestId(response: Response): Response {
  carrying.add(response);
  return response;
}

export function isCarryingRequestId(response: Response): boolean {
  return carrying.has(response);
}
