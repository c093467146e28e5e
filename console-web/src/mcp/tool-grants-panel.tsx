/**
 * Tool RBAC on the Tool catalog page: which roles, teams and users may use which tools (patterns over the names
 * agents see, `github__*`). Once any grant exists, a user can use only the tools their grants cover, within their
 * key's own tool patterns.
 */
import { valibotResolver } from "@hookform/resolvers/valibot";
import { createColumnHelper } from "@tanstack/react-table";
import { McpToolGrantInputSchema } from "@thinkwatch/console-api";
import { ShieldCheck } from "lucide-react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { EmptyState } from "../components/empty-state";
import { ErrorState } from "../components/error-state";
import { Form, SubmitButton } from "../components/form/form";
import { SelectField, TextField } from "../components/form/form-fields";
import type { McpToolGrantInput, McpToolGrantView } from "./mcp-api";
import { useCreateToolGrant, useDeleteToolGrant, useToolGrants } from "./mcp-queries";

const column = createColumnHelper<McpToolGrantView>();
const resolver = valibotResolver(McpToolGrantInputSchema);
const EMPTY: McpToolGrantInput = { subjectKind: "role", subjectId: "", pattern: "" };

export function ToolGrantsPanel({ canWrite }: { canWrite: boolean }) {
  const grants = useToolGrants();
  const create = useCreateToolGrant();
  const remove = useDeleteToolGrant();
  const form = useForm<McpToolGrantInput, unknown, McpToolGrantInput>({ defaultValues: EMPTY, resolver });
  const columns = useMemo(
    () => [
      column.accessor("pattern", { header: "Tools", cell: (c) => <code>{c.getValue()}</code> }),
      column.accessor("subjectKind", { header: "Granted to", cell: (c) => <Badge tone="info">{c.getValue()}</Badge> }),
      column.accessor((g) => g.subjectName ?? `${g.subjectId} (gone)`, { id: "subject", header: "Who" }),
    ],
    [],
  );

  return (
    <section className="card" aria-labelledby="tool-grants-heading">
      <h2 id="tool-grants-heading">Tool permissions</h2>
      <p className="hint">
        {grants.data !== undefined && grants.data.length > 0
          ? "Users can use only the tools granted to their role, their teams or themselves (and allowed by their key)."
          : "No grants yet: every tool is open to every key allowed to use it. The first grant turns tool permissions on."}
      </p>
      <DataTable
        label="Tool grants"
        columns={columns}
        data={grants.data}
        loading={grants.isPending}
        error={grants.error}
        onRetry={() => void grants.refetch()}
        getRowId={(grant) => grant.id}
        empty={<EmptyState icon={ShieldCheck} title="No tool grants" description="Grant tools to a role, team or user below." />}
        rowActions={
          canWrite
            ? (grant) => (
                <button
                  type="button"
                  className="button button-danger-quiet button-small"
                  aria-label={`Revoke ${grant.pattern} from ${grant.subjectName ?? grant.subjectId}`}
                  onClick={() => remove.mutate(grant.id)}
                >
                  Revoke
                </button>
              )
            : undefined
        }
      />
      {remove.error !== null && <ErrorState title="Could not revoke the grant" error={remove.error} />}
      {canWrite && (
        <Form
          form={form}
          label="Grant tools"
          onSubmit={(body) => create.mutate(body, { onSuccess: () => form.reset(EMPTY) })}
          error={create.error}
          shownFields={["subjectKind", "subjectId", "pattern"]}
        >
          <div className="form-row">
            <TextField<McpToolGrantInput> name="pattern" label="Tool pattern" placeholder="github__*" autoComplete="off" />
            <SelectField<McpToolGrantInput>
              name="subjectKind"
              label="Grant to"
              choices={[
                { value: "role", label: "Role" },
                { value: "team", label: "Team" },
                { value: "user", label: "User" },
              ]}
            />
            <TextField<McpToolGrantInput>
              name="subjectId"
              label="Role name, team id or user id"
              placeholder="developer"
              autoComplete="off"
            />
          </div>
          <div className="form-actions">
            <SubmitButton pending={create.isPending} pendingLabel="Granting…">
              Grant
            </SubmitButton>
          </div>
        </Form>
      )}
    </section>
  );
}
