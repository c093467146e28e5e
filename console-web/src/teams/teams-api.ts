/** /api/admin/teams: teams, their members and team roles. */
import type { AddTeamMemberInput, CreateTeamInput, Team, TeamMember } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { AddTeamMemberInput, CreateTeamInput, Team, TeamMember } from "@thinkwatch/console-api";

const teamPath = (id: string) => `/api/admin/teams/${encodeURIComponent(id)}`;

export async function listTeams(api: ApiClient): Promise<Team[]> {
  return (await api.get<{ teams: Team[] }>("/api/admin/teams")).teams;
}

export async function createTeam(api: ApiClient, body: CreateTeamInput): Promise<Team> {
  return (await api.post<{ team: Team }>("/api/admin/teams", body)).team;
}

export async function deleteTeam(api: ApiClient, id: string): Promise<void> {
  await api.delete(teamPath(id));
}

export async function listMembers(api: ApiClient, teamId: string): Promise<TeamMember[]> {
  return (await api.get<{ members: TeamMember[] }>(`${teamPath(teamId)}/members`)).members;
}

export async function addMember(api: ApiClient, teamId: string, body: AddTeamMemberInput): Promise<TeamMember[]> {
  return (await api.post<{ members: TeamMember[] }>(`${teamPath(teamId)}/members`, body)).members;
}

export async function setMemberRole(
  api: ApiClient,
  teamId: string,
  userId: string,
  teamRole: TeamMember["teamRole"],
): Promise<void> {
  await api.patch(`${teamPath(teamId)}/members/${encodeURIComponent(userId)}`, { teamRole });
}

export async function removeMember(api: ApiClient, teamId: string, userId: string): Promise<void> {
  await api.delete(`${teamPath(teamId)}/members/${encodeURIComponent(userId)}`);
}
