/** The signed-in user's own account: password change and sessions. */
import type { ChangePasswordInput, Session } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { ChangePasswordInput, Session } from "@thinkwatch/console-api";

export function changePassword(api: ApiClient, body: ChangePasswordInput): Promise<{ sessionsEnded: number }> {
  return api.post("/api/auth/password", body);
}

export async function listSessions(api: ApiClient): Promise<Session[]> {
  return (await api.get<{ sessions: Session[] }>("/api/auth/sessions")).sessions;
}

export async function endSession(api: ApiClient, id: string): Promise<void> {
  await api.delete(`/api/auth/sessions/${encodeURIComponent(id)}`);
}

export async function endAllSessions(api: ApiClient): Promise<void> {
  await api.delete("/api/auth/sessions");
}
