/** /mcp/servers: the upstream MCP servers behind the gateway's /mcp; register, test, enable/disable, delete. */
import { createColumnHelper } from "@tanstack/react-table";
import { Plug, Plus } from "lucide-react";
import { useState } from "react";
import { toApiError } from "../api/api-error";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { ConfirmDialog, Dialog } from "../components/dialog";
import { EmptyState } from "../components/empty-state";
import { PageHeader } from "../components/page-header";
import { useCan } from "../session/current-user";
import type { McpServerTestResult, McpServerView } from "./mcp-api";
import { LinkAccount } from "./mcp-link-account";
import { useDeleteMcpServer, useMcpServers, useTestMcpServer, useUpdateMcpServer } from "./mcp-queries";
import { McpServerForm } from "./mcp-server-form";

const column = createColumnHelper<McpServerView>();
const TRANSPORT_LABELS: Record<McpServerView["transport"], string> = {
  streamable_http: "Streamable HTTP",
  sse: "HTTP + SSE",
  stdio: "stdio",
};

const AUTH_LABELS: Record<McpServerView["authMode"], string> = {
  static: "Shared credentials",
  per_user_oauth: "Each user's OAuth",
  client_credentials: "Service account (OAuth)",
};

const COLUMNS = [
  column.accessor("name", { header: "Name", cell: (c) => <strong>{c.getValue()}</strong> }),
  column.accessor("prefix", { header: "Tools as", cell: (c) => <code>{`${c.getValue()}__…`}</code> }),
  column.accessor((s) => TRANSPORT_LABELS[s.transport], { id: "transport", header: "Transport" }),
  column.display({
    id: "endpoint",
    header: "Endpoint",
    cell: ({ row }) => {
      const full = row.original.url ?? [row.original.command, ...row.original.args].join(" ");
      // Long commands (absolute paths) would push the actions off the row: show the end, the full text on hover.
      return <code title={full}>{full.length > 48 ? `…${full.slice(-47)}` : full}</code>;
    },
  }),
  column.accessor((s) => s.secretNames.join(", "), {
    id: "secrets",
    header: "Secrets",
    cell: (c) => (c.getValue() === "" ? <span className="muted">none</span> : c.getValue()),
    enableSorting: false,
  }),
  column.accessor("authMode", {
    header: "Upstream identity",
    cell: (c) => AUTH_LABELS[c.getValue()],
  }),
  column.accessor("enabled", {
    header: "Status",
    cell: (c) => (c.getValue() ? <Badge tone="ok">enabled</Badge> : <Badge>disabled</Badge>),
  }),
];

function TestOutcome({ result }: { result: McpServerTestResult }) {
  if (!result.ok) {
    return (
      <p role="alert" className="field-error">
        Could not connect: {result.error}
      </p>
    );
  }
  return (
    <div>
      <p>
        <Badge tone="ok">connected</Badge> {result.serverInfo?.name} {result.serverInfo?.version} in {result.latencyMs} ms ·{" "}
        {result.tools.length} tools, {result.prompts} prompts, {result.resources} resources
      </p>
      <ul className="chips" aria-label="Tools">
        {result.tools.map((tool) => (
          <li key={tool.exposedName} className="chip" title={tool.description ?? undefined}>
            {tool.exposedName}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function McpServersPage() {
  const servers = useMcpServers();
  const canWrite = useCan("mcp_servers:write");
  const update = useUpdateMcpServer();
  const remove = useDeleteMcpServer();
  const test = useTestMcpServer();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<McpServerView | null>(null);
  const [testing, setTesting] = useState<McpServerView | null>(null);

  const addButton = canWrite ? (
    <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
      <Plus aria-hidden="true" />
      Register server
    </button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="MCP servers"
        description="Upstream MCP servers whose tools agents reach through the gateway's one /mcp endpoint, each under its prefix."
        actions={addButton}
      />
      <div className="card">
        <DataTable
          label="MCP servers"
          columns={COLUMNS}
          data={servers.data}
          loading={servers.isPending}
          error={servers.error}
          onRetry={() => void servers.refetch()}
          getRowId={(server) => server.id}
          initialSorting={[{ id: "name", desc: false }]}
          rowActions={(server) => (
            <>
              {server.authMode === "per_user_oauth" && <LinkAccount serverId={server.id} serverName={server.name} />}
              {canWrite && (
                <>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() => {
                      setTesting(server);
                      test.mutate(server.id);
                    }}
                  >
                    Test
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() => update.mutate({ id: server.id, patch: { enabled: !server.enabled } })}
                  >
                    {server.enabled ? "Disable" : "Enable"}
                  </button>
                  <button type="button" className="button button-danger button-small" onClick={() => setDeleting(server)}>
                    Delete
                  </button>
                </>
              )}
            </>
          )}
          empty={
            <EmptyState
              icon={Plug}
              title="No MCP servers yet"
              description="Register one so agents can use its tools through the gateway."
              action={addButton}
            />
          }
        />
      </div>
      <Dialog open={adding} onClose={() => setAdding(false)} title="Register an MCP server" size="large">
        <McpServerForm
          onCreated={() => setAdding(false)}
          actions={
            <button type="button" className="button button-secondary" onClick={() => setAdding(false)}>
              Cancel
            </button>
          }
        />
      </Dialog>
      <Dialog
        open={testing !== null}
        onClose={() => {
          setTesting(null);
          test.reset();
        }}
        title={`Test ${testing?.name ?? ""}`}
        size="large"
      >
        {test.isPending && <p aria-live="polite">Connecting…</p>}
        {test.error !== null && <p role="alert">{toApiError(test.error).message}</p>}
        {test.data !== undefined && <TestOutcome result={test.data} />}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? ""}?`}
        message="Its tools disappear from every agent's tool list at once. The record is kept for the audit trail."
        confirmLabel="Delete server"
        tone="danger"
        pending={remove.isPending}
        error={remove.error === null ? undefined : toApiError(remove.error).message}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting !== null) remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) });
        }}
      />
    </>
  );
}
