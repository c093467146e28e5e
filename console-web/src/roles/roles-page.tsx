/**
 * /roles: the five built-in roles (read-only) and custom roles over the same permissions. Super admins create,
 * edit and delete custom roles; holders of a changed role get the change on their next request.
 */
import { createColumnHelper } from "@tanstack/react-table";
import { Plus, ShieldCheck } from "lucide-react";
import { useMemo, useState } from "react";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { ConfirmDialog, Dialog } from "../components/dialog";
import { EmptyState } from "../components/empty-state";
import { ErrorState } from "../components/error-state";
import { PageHeader } from "../components/page-header";
import { useCan } from "../session/current-user";
import { RoleForm } from "./role-form";
import { useDeleteRole, useRoles } from "./role-queries";
import type { RoleDefinition } from "./roles-api";

const column = createColumnHelper<RoleDefinition>();

export function RolesPage() {
  const roles = useRoles();
  const canWrite = useCan("roles:write");
  const [editing, setEditing] = useState<RoleDefinition | "new" | null>(null);
  const [deleting, setDeleting] = useState<RoleDefinition | null>(null);
  const remove = useDeleteRole();
  const columns = useMemo(
    () => [
      column.accessor("name", { header: "Role", cell: (c) => <strong>{c.getValue()}</strong> }),
      column.accessor("builtIn", {
        header: "Kind",
        cell: (c) => (c.getValue() ? <Badge>built-in</Badge> : <Badge tone="info">custom</Badge>),
      }),
      column.accessor("description", { header: "Description", enableSorting: false }),
      column.accessor((role) => role.permissions.length, { id: "permissions", header: "Permissions" }),
    ],
    [],
  );
  const createButton = canWrite ? (
    <button type="button" className="button button-primary" onClick={() => setEditing("new")}>
      <Plus aria-hidden="true" />
      Create role
    </button>
  ) : undefined;
  const close = () => setEditing(null);

  return (
    <>
      <PageHeader
        title="Roles"
        description="What each role may do. Built-in roles are fixed; custom roles are yours."
        actions={createButton}
      />
      <div className="card">
        <DataTable
          label="Roles"
          columns={columns}
          data={roles.data}
          loading={roles.isPending}
          error={roles.error}
          onRetry={() => void roles.refetch()}
          getRowId={(role) => role.id}
          empty={<EmptyState icon={ShieldCheck} title="No roles" />}
          rowActions={(role) =>
            canWrite &&
            !role.builtIn && (
              <div className="row-actions">
                <button type="button" className="button button-secondary button-small" onClick={() => setEditing(role)}>
                  Edit
                </button>
                <button
                  type="button"
                  className="button button-danger-quiet button-small"
                  onClick={() => {
                    remove.reset();
                    setDeleting(role);
                  }}
                >
                  Delete
                </button>
              </div>
            )
          }
        />
      </div>

      <Dialog
        open={editing !== null}
        onClose={close}
        title={editing === "new" ? "Create a role" : `Edit ${editing?.name ?? ""}`}
        size="large"
      >
        {editing !== null && (
          <RoleForm
            role={editing === "new" ? null : editing}
            onSaved={close}
            actions={
              <button type="button" className="button button-secondary" onClick={close}>
                Cancel
              </button>
            }
          />
        )}
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title="Delete role"
        message={`Delete the role ${deleting?.name ?? ""}? Everyone holding it loses its permissions and is signed out.`}
        confirmLabel="Delete role"
        tone="danger"
        pending={remove.isPending}
        error={remove.error === null ? undefined : <ErrorState title="Could not delete the role" error={remove.error} />}
        onConfirm={() => deleting !== null && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        onCancel={() => setDeleting(null)}
      />
    </>
  );
}
