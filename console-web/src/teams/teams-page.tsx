/**
 * /teams: teams and their members. Admins create and delete teams; a team's managers (and admins) manage its
 * members. A team manager sees only their own teams (the API filters).
 */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { createColumnHelper } from "@tanstack/react-table";
import { CreateTeamSchema } from "@thinkwatch/console-api";
import { Plus, UsersRound } from "lucide-react";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { DataTable } from "../components/data-table";
import { ConfirmDialog, Dialog } from "../components/dialog";
import { EmptyState } from "../components/empty-state";
import { ErrorState } from "../components/error-state";
import { Form, SubmitButton } from "../components/form/form";
import { TextField } from "../components/form/form-fields";
import { PageHeader } from "../components/page-header";
import { formatTime } from "../format/format-time";
import { useCan, useCurrentUser } from "../session/current-user";
import { TeamMembers } from "./team-members";
import { useCreateTeam, useDeleteTeam, useTeams } from "./team-queries";
import type { CreateTeamInput, Team } from "./teams-api";

const column = createColumnHelper<Team>();
const resolver = valibotResolver(CreateTeamSchema);

function CreateTeamForm({ onDone }: { onDone(): void }) {
  const form = useForm<CreateTeamInput>({ defaultValues: { name: "", description: "" }, resolver });
  const create = useCreateTeam();
  return (
    <Form
      form={form}
      onSubmit={(body) => create.mutate(body, { onSuccess: onDone })}
      error={create.error}
      shownFields={["name", "description"]}
    >
      <TextField name="name" label="Name" />
      <TextField name="description" label="Description (optional)" />
      <div className="form-actions">
        <SubmitButton pending={create.isPending} pendingLabel="Creating…">
          Create team
        </SubmitButton>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </Form>
  );
}

export function TeamsPage() {
  const me = useCurrentUser();
  const teams = useTeams();
  const canWriteAll = useCan("teams:write_all");
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<Team | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const remove = useDeleteTeam();
  const managed = useMemo(
    () => new Set((me.teams ?? []).filter((t) => t.permissions.includes("teams:write")).map((t) => t.teamId)),
    [me.teams],
  );
  const columns = useMemo(
    () => [
      column.accessor("name", { header: "Team", cell: (c) => <strong>{c.getValue()}</strong> }),
      column.accessor("description", { header: "Description", enableSorting: false }),
      column.accessor("memberCount", { header: "Members" }),
      column.accessor("createdAt", { header: "Created", cell: (c) => formatTime(c.getValue()) }),
    ],
    [],
  );
  const createButton = canWriteAll ? (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      <Plus aria-hidden="true" />
      Create team
    </button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Teams"
        description="Groups of users with managers; team keys, limits and logs follow membership."
        actions={createButton}
      />
      <div className="card">
        <DataTable
          label="Teams"
          columns={columns}
          data={teams.data}
          loading={teams.isPending}
          error={teams.error}
          onRetry={() => void teams.refetch()}
          getRowId={(team) => team.id}
          empty={<EmptyState icon={UsersRound} title="No teams yet" action={createButton} />}
          rowActions={(team) => (
            <div className="row-actions">
              <button type="button" className="button button-secondary button-small" onClick={() => setOpen(team)}>
                Members
              </button>
              {canWriteAll && (
                <button
                  type="button"
                  className="button button-danger-quiet button-small"
                  onClick={() => {
                    remove.reset();
                    setDeleting(team);
                  }}
                >
                  Delete
                </button>
              )}
            </div>
          )}
        />
      </div>

      <Dialog open={creating} onClose={() => setCreating(false)} title="Create a team">
        <CreateTeamForm onDone={() => setCreating(false)} />
      </Dialog>

      <Dialog open={open !== null} onClose={() => setOpen(null)} title={`Members of ${open?.name ?? ""}`} size="large">
        {open !== null && <TeamMembers team={open} canManage={canWriteAll || managed.has(open.id)} />}
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title="Delete team"
        message={`Delete ${deleting?.name ?? ""}? Its members lose the team's access at once.`}
        confirmLabel="Delete team"
        tone="danger"
        pending={remove.isPending}
        error={remove.error === null ? undefined : <ErrorState title="Could not delete the team" error={remove.error} />}
        onConfirm={() => deleting !== null && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        onCancel={() => setDeleting(null)}
      />
    </>
  );
}
