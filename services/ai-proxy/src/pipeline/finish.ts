/** The end of every gateway request: publish its audit event (asynchronously, through the outbox). */
import { GatewayRequestCompleted } from "@thinkwatch/proto";
import type { GatewayDeps } from "../deps.js";
import type { RequestRecord } from "./request-record.js";

export function finishRequest(deps: GatewayDeps, record: RequestRecord): void {
  const event = record.toEvent();
  if (event !== null) deps.outbox.enqueue(GatewayRequestCompleted, event, event.eventId);
}
