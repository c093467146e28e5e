/**
 * The end of every gateway request: free what it held, count its route tokens, count it (metrics) and publish its
 * audit event (asynchronously, through the outbox).
 */
import { GatewayRequestCompleted } from "@thinkwatch/proto";
import type { GatewayDeps } from "../deps.js";
import type { RequestRecord } from "./request-record.js";

export function finishRequest(deps: GatewayDeps, record: RequestRecord): void {
  for (const hook of record.atFinish.splice(0)) hook();
  const event = record.toEvent();
  // After toEvent: usage an upstream did not report is estimated there, and counts against the route's cap too.
  if (record.route !== null) deps.caps.addTokens(record.route, record.usage.inputTokens + record.usage.outputTokens);
  deps.observeRequest(record, event);
  if (event !== null) deps.outbox.enqueue(GatewayRequestCompleted, event, event.eventId, record.trace);
}
