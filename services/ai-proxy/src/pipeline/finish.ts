/** The end of every gateway request: count it (metrics) and publish its audit event (asynchronously, through the outbox). */
import { GatewayRequestCompleted } from "@thinkwatch/proto";
import type { GatewayDeps } from "../deps.js";
import type { RequestRecord } from "./request-record.js";

export function finishRequest(deps: GatewayDeps, record: RequestRecord): void {
  const event = record.toEvent();
  deps.observeRequest(record, event);
  if (event !== null) deps.outbox.enqueue(GatewayRequestCompleted, event, event.eventId);
}
