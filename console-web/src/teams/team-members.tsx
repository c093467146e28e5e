/** One team's members: add by email with a team role, promote/demote, remove. Managers of the team and admins only. */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { createColumnHelper } from "@tanstack/react-table";
import { AddTeamMemberSchema } from "@thinkwatch/console-api";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { ErrorState } from "../components/error-state";
import { Form, SubmitButton } from "../components/form/form";
import { SelectField, TextField } from "../components/form/form-fields";
import { useAddMember, useRemoveMember, useSetMemberRole, useTeamMembers } from "./team-queries";
import type { AddTeamMemberInput, Team, TeamMember } from "./teams-api";

const column = createColumnHelper<TeamMember>();
const resolver = valibotResolver(AddTeamMemberSchema);
type AddValues = AddTeamMemberInput;

export function TeamMembers({ team, canManage }: { team: Team; canManage: boolean }) {
  const members = useTeamMembers(team.id);
  const add = useAddMember();
  const setRole = useSetMemberRole();
  const remove = useRemoveMember();
  const form = useForm<AddValues, unknown, AddTeamMemberInput>({ defaultValues: { email: "", teamRole: "member" }, resolver });
  const columns = useMemo(
    () => [
      column.accessor("displayName", { header: "Name" }),
      column.accessor("email", { header: "Email" }),
      column.accessor("teamRole", {
        header: "Team role",
        cell: (c) => <Badge tone={c.getValue() === "manager" ? "info" : "neutral"}>{c.getValue()}</Badge>,
      }),
    ],
    [],
  );
  const mutationError = setRole.error ?? remove.error;

  return (
    <>
      <DataTable
        label={`Members of ${team.name}`}
        columns={columns}
        data={members.data}
        loading={members.isPending}
        error={members.error}
        onRetry={() => void members.refetch()}
        getRowId={(member) => member.userId}
        rowActions={
          canManage
            ? (member) => (
                <div className="row-actions">
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() =>
                      setRole.mutate({
                        teamId: team.id,
                        userId: member.userId,
                        teamRole: member.teamRole === "manager" ? "member" : "manager",
                      })
                    }
                  >
                    {member.teamRole === "manager" ? "Make member" : "Make manager"}
                  </button>
                  <button
                    type="button"
                    className="button button-danger-quiet button-small"
                    onClick={() => remove.mutate({ teamId: team.id, userId: member.userId })}
                  >
                    Remove
                  </button>
                </div>
              )
            : undefined
        }
      />
      {mutationError !== null && <ErrorState title="Could not change the member" error={mutationError} />}
      {canManage && (
        <Form
          form={form}
          label="Add a member"
          onSubmit={(body) =>
            add.mutate({ teamId: team.id, body }, { onSuccess: () => form.reset({ email: "", teamRole: "member" }) })
          }
          error={add.error}
          shownFields={["email", "teamRole"]}
        >
          <div className="form-row">
            <TextField<AddValues> name="email" type="email" label="Add by email" autoComplete="off" />
            <SelectField<AddValues>
              name="teamRole"
              label="Team role"
              choices={[
                { value: "member", label: "Member" },
                { value: "manager", label: "Manager" },
              ]}
            />
          </div>
          <div className="form-actions">
            <SubmitButton pending={add.isPending} pendingLabel="Adding…">
              Add member
            </SubmitButton>
          </div>
        </Form>
      )}
    </>
  );
}
