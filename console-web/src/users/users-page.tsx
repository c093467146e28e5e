/**
 * /users: the console's users — search and page through them, create one (with a password or an invitation link),
 * edit name and role, deactivate or reactivate, delete. Team managers see the members of their teams only (the API
 * filters); the buttons need users:write.
 */
import { Plus, Users } from "lucide-react";
import { useMemo, useState } from "react";
import { CopyBlock } from "../components/copy-button";
import { DataTable } from "../components/data-table";
import { ConfirmDialog, Dialog } from "../components/dialog";
import { EmptyState } from "../components/empty-state";
import { ErrorState } from "../components/error-state";
import { PageHeader } from "../components/page-header";
import { useCan, useCurrentUser } from "../session/current-user";
import { userColumns } from "./user-columns";
import { UserEditForm } from "./user-edit-form";
import { UserForm } from "./user-form";
import { useDeleteUser, useUpdateUser, useUsers } from "./user-queries";
import type { Invite, User } from "./users-api";

const PAGE_SIZE = 25;

export function UsersPage() {
  const me = useCurrentUser();
  const canWrite = useCan("users:write");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const users = useUsers({ search, page, pageSize: PAGE_SIZE });
  const columns = useMemo(() => userColumns(), []);
  const [creating, setCreating] = useState(false);
  const [invite, setInvite] = useState<{ user: User; invite: Invite } | null>(null);
  const [editing, setEditing] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const total = users.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  const createButton = canWrite ? (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      <Plus aria-hidden="true" />
      Create user
    </button>
  ) : undefined;

  return (
    <>
      <PageHeader title="Users" description="Who may sign in to the console, with which role." actions={createButton} />
      <div className="card">
        <div className="toolbar">
          <label className="field">
            <span className="field-label">Search</span>
            <input
              type="search"
              placeholder="Name or email"
              value={search}
              maxLength={200}
              onChange={(event) => {
                setSearch(event.target.value);
                setPage(1);
              }}
            />
          </label>
        </div>
        <DataTable
          label="Users"
          columns={columns}
          data={users.data?.users}
          loading={users.isPending}
          error={users.error}
          onRetry={() => void users.refetch()}
          getRowId={(user) => user.id}
          rowClassName={(user) => (user.active ? undefined : "row-dim")}
          empty={<EmptyState icon={Users} title={search === "" ? "No users yet" : "No user matches"} action={createButton} />}
          rowActions={
            canWrite
              ? (user) =>
                  user.id !== me.id && (
                    <div className="row-actions">
                      <button type="button" className="button button-secondary button-small" onClick={() => setEditing(user)}>
                        Edit
                      </button>
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        disabled={update.isPending}
                        onClick={() => update.mutate({ id: user.id, body: { active: !user.active } })}
                      >
                        {user.active ? "Deactivate" : "Reactivate"}
                      </button>
                      <button
                        type="button"
                        className="button button-danger-quiet button-small"
                        onClick={() => {
                          remove.reset();
                          setDeleting(user);
                        }}
                      >
                        Delete
                      </button>
                    </div>
                  )
              : undefined
          }
        />
        {update.error !== null && <ErrorState title="Could not change the user" error={update.error} />}
        <div className="pager">
          <span className="muted">
            {total} user{total === 1 ? "" : "s"} · page {page} of {pages}
          </span>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
          >
            Previous
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </div>
      </div>

      <Dialog open={creating} onClose={() => setCreating(false)} title="Create a user">
        <UserForm
          onCreated={(user, created) => {
            setCreating(false);
            if (created !== undefined) setInvite({ user, invite: created });
          }}
          actions={
            <button type="button" className="button button-secondary" onClick={() => setCreating(false)}>
              Cancel
            </button>
          }
        />
      </Dialog>

      <Dialog open={invite !== null} onClose={() => setInvite(null)} title="Invitation link" size="large">
        {invite !== null && (
          <>
            <p>
              Send this link to {invite.user.email}. It lets them set their password once, until{" "}
              {new Date(invite.invite.expiresAt).toLocaleString()}.
            </p>
            <CopyBlock label="Invitation link" text={invite.invite.url} />
            <div className="form-actions">
              <button type="button" className="button button-primary" onClick={() => setInvite(null)}>
                Done
              </button>
            </div>
          </>
        )}
      </Dialog>

      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={`Edit ${editing?.email ?? ""}`}>
        {editing !== null && (
          <UserEditForm
            user={editing}
            onSaved={() => setEditing(null)}
            actions={
              <button type="button" className="button button-secondary" onClick={() => setEditing(null)}>
                Cancel
              </button>
            }
          />
        )}
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title="Delete user"
        message={`Delete ${deleting?.email ?? ""}? They are signed out at once and their keys stop working.`}
        confirmLabel="Delete user"
        tone="danger"
        pending={remove.isPending}
        error={remove.error === null ? undefined : <ErrorState title="Could not delete the user" error={remove.error} />}
        onConfirm={() => deleting !== null && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        onCancel={() => setDeleting(null)}
      />
    </>
  );
}
