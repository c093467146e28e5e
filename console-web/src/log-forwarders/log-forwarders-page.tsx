/**
 * /log-forwarders: the channels that ship every audit event to a SIEM — list with state, create, enable/disable,
 * the Test button (one synthetic event through the real transport) and per-channel sent/failed/lag.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Plus, Send } from "lucide-react";
import { useState } from "react";
import { useApi } from "../api/use-api";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { Dialog } from "../components/dialog";
import { EmptyState } from "../components/empty-state";
import { ErrorState } from "../components/error-state";
import { PageHeader } from "../components/page-header";
import { useCan } from "../session/current-user";
import { ForwarderForm } from "./forwarder-form";
import {
  createForwarder,
  forwarderStats,
  type LogForwarderStats,
  type LogForwarderTestResult,
  type LogForwarderView,
  listForwarders,
  testForwarder,
  toggleForwarder,
} from "./log-forwarders-api";

function destination(f: LogForwarderView): string {
  const s = f.settings as Record<string, unknown>;
  if (f.kind === "syslog") return `${s.protocol}://${s.host}:${s.port}`;
  if (f.kind === "kafka") return `${s.brokers} → ${s.topic}`;
  return String(s.url ?? "");
}

const columns: ColumnDef<LogForwarderView>[] = [
  { header: "Name", accessorKey: "name" },
  { header: "Kind", accessorKey: "kind", cell: ({ row }) => <Badge>{row.original.kind}</Badge> },
  { header: "Destination", id: "destination", cell: ({ row }) => destination(row.original) },
  {
    header: "State",
    accessorKey: "enabled",
    cell: ({ row }) => <Badge>{row.original.enabled ? "enabled" : "disabled"}</Badge>,
  },
];

export function LogForwardersPage() {
  const api = useApi();
  const client = useQueryClient();
  const canWrite = useCan("log_forwarders:write");
  const list = useQuery({ queryKey: ["log-forwarders"], queryFn: () => listForwarders(api) });
  const [creating, setCreating] = useState(false);
  const [report, setReport] = useState<{ name: string; test?: LogForwarderTestResult; stats?: LogForwarderStats } | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ["log-forwarders"] });
  const create = useMutation({
    mutationFn: (body: unknown) => createForwarder(api, body),
    onSuccess: () => {
      setCreating(false);
      void refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (f: LogForwarderView) => toggleForwarder(api, f.id, !f.enabled),
    onSuccess: () => void refresh(),
  });
  const test = useMutation({
    mutationFn: async (f: LogForwarderView) => ({ name: f.name, test: await testForwarder(api, f.id) }),
    onSuccess: setReport,
  });
  const stats = useMutation({
    mutationFn: async (f: LogForwarderView) => ({ name: f.name, stats: await forwarderStats(api, f.id) }),
    onSuccess: setReport,
  });

  return (
    <>
      <PageHeader
        title="Log Forwarders"
        description="Ship every audit event to your SIEM over syslog, Kafka or a signed webhook."
        actions={
          canWrite ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              <Plus aria-hidden="true" />
              New forwarder
            </button>
          ) : undefined
        }
      />
      {(test.error ?? stats.error ?? toggle.error) && <ErrorState error={test.error ?? stats.error ?? toggle.error} />}
      <DataTable
        label="Log forwarders"
        columns={columns}
        data={list.data}
        loading={list.isPending}
        error={list.error}
        onRetry={() => list.refetch()}
        getRowId={(f) => f.id}
        empty={<EmptyState icon={Send} title="No forwarders yet" description="Create one to send audit events to a SIEM." />}
        rowActions={(f) => (
          <div className="row-actions">
            {canWrite && (
              <button type="button" className="button button-small" onClick={() => test.mutate(f)}>
                Test
              </button>
            )}
            <button type="button" className="button button-small" onClick={() => stats.mutate(f)}>
              Stats
            </button>
            {canWrite && (
              <button type="button" className="button button-small" onClick={() => toggle.mutate(f)}>
                {f.enabled ? "Disable" : "Enable"}
              </button>
            )}
          </div>
        )}
      />
      <Dialog open={creating} onClose={() => setCreating(false)} title="New log forwarder">
        <ForwarderForm onSubmit={(body) => create.mutate(body)} pending={create.isPending} error={create.error} />
      </Dialog>
      <Dialog open={report !== null} onClose={() => setReport(null)} title={report === null ? "" : `${report.name}`}>
        {report?.test !== undefined && (
          <p role="status">
            {report.test.ok ? `Test event delivered in ${report.test.latencyMs} ms` : `Test failed: ${report.test.error}`}
          </p>
        )}
        {report?.stats !== undefined && (
          <dl className="stats" aria-label="Delivery stats">
            <dt>Sent</dt>
            <dd>{report.stats.sent}</dd>
            <dt>Failed</dt>
            <dd>{report.stats.failed}</dd>
            <dt>Dead-lettered</dt>
            <dd>{report.stats.deadLettered}</dd>
            <dt>Lag</dt>
            <dd>{report.stats.lag}</dd>
          </dl>
        )}
      </Dialog>
    </>
  );
}
