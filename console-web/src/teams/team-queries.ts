/** Query keys and hooks of the Teams area; a change to a team or its members refreshes every team query. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import {
  type AddTeamMemberInput,
  addMember,
  type CreateTeamInput,
  createTeam,
  deleteTeam,
  listMembers,
  listTeams,
  removeMember,
  setMemberRole,
  type TeamMember,
} from "./teams-api";

export const teamKeys = {
  all: ["teams"] as const,
  list: () => [...teamKeys.all, "list"] as const,
  members: (teamId: string) => [...teamKeys.all, "members", teamId] as const,
};

export function useTeams() {
  const api = useApi();
  return useQuery({ queryKey: teamKeys.list(), queryFn: () => listTeams(api) });
}

export function useTeamMembers(teamId: string) {
  const api = useApi();
  return useQuery({ queryKey: teamKeys.members(teamId), queryFn: () => listMembers(api, teamId) });
}

function useTeamMutation<A>(run: (api: ReturnType<typeof useApi>, args: A) => Promise<unknown>) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: A) => run(api, args),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.all }),
  });
}

export const useCreateTeam = () => useTeamMutation((api, body: CreateTeamInput) => createTeam(api, body));
export const useDeleteTeam = () => useTeamMutation((api, id: string) => deleteTeam(api, id));
export const useAddMember = () =>
  useTeamMutation((api, { teamId, body }: { teamId: string; body: AddTeamMemberInput }) => addMember(api, teamId, body));
export const useSetMemberRole = () =>
  useTeamMutation((api, a: { teamId: string; userId: string; teamRole: TeamMember["teamRole"] }) =>
    setMemberRole(api, a.teamId, a.userId, a.teamRole),
  );
export const useRemoveMember = () =>
  useTeamMutation((api, a: { teamId: string; userId: string }) => removeMember(api, a.teamId, a.userId));
