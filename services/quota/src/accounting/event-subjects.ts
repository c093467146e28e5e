/** The quota subjects of one gateway request, the same set the edge sent at admission. */
import type { GatewayRequestEvent, QuotaSubject } from "@thinkwatch/proto";

export function subjectsOfEvent(
  event: Pick<GatewayRequestEvent, "apiKeyId" | "apiKeyLineageId" | "userId" | "providerId" | "teamId">,
): QuotaSubject[] {
  const subjects: QuotaSubject[] = [
    { kind: "api_key", id: event.apiKeyLineageId ?? event.apiKeyId },
    { kind: "user", id: event.userId },
  ];
  if (event.providerId !== null) subjects.push({ kind: "provider", id: event.providerId });
  if (event.teamId !== null) subjects.push({ kind: "team", id: event.teamId });
  return subjects;
}
