/**
 * /health: is everything up? The console's own dependencies (latency, pool figures), every service instance of the
 * deployment found over NATS (ready or why not, its dependency checks) and the MCP servers' last known health.
 */
import type { ColumnDef } from "@tanstack/react-table";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { ErrorState } from "../components/error-state";
import { LoadingState } from "../components/loading-state";
import { PageHeader, Section } from "../components/page-header";
import { type HealthCheckResult, type McpServerHealth, type ServiceInstance, useHealth } from "./health-api";
import { formatBytes, formatLatency, formatUptime } from "./health-format";

function CheckBadge({ check }: { check: HealthCheckResult }) {
  const tone = check.ok ? "ok" : check.critical ? "danger" : "warning";
  return (
    <Badge tone={tone} title={check.error ?? undefined}>
      {check.name} {check.ok ? formatLatency(check.latencyMs) : "down"}
    </Badge>
  );
}

function statsText(stats: Record<string, unknown> | null): string {
  if (stats === null) return "";
  return Object.entries(stats)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join(" · ");
}

const dependencyColumns: ColumnDef<HealthCheckResult>[] = [
  { header: "Dependency", accessorKey: "name" },
  {
    header: "State",
    id: "state",
    cell: ({ row }) => (
      <Badge tone={row.original.ok ? "ok" : row.original.critical ? "danger" : "warning"}>
        {row.original.ok ? "up" : "down"}
      </Badge>
    ),
  },
  { header: "Latency", id: "latency", cell: ({ row }) => formatLatency(row.original.latencyMs) },
  { header: "Details", id: "details", cell: ({ row }) => row.original.error ?? statsText(row.original.stats) },
];

const instanceColumns: ColumnDef<ServiceInstance>[] = [
  { header: "Service", accessorKey: "service" },
  { header: "Instance", id: "instance", cell: ({ row }) => `${row.original.hostname} · pid ${row.original.pid}` },
  {
    header: "State",
    id: "ready",
    cell: ({ row }) =>
      row.original.ready === true ? (
        <Badge tone="ok">ready</Badge>
      ) : (
        <Badge tone="danger" title={row.original.reason ?? undefined}>
          not ready
        </Badge>
      ),
  },
  {
    header: "Dependencies",
    id: "checks",
    cell: ({ row }) => (
      <span className="badge-row">
        {row.original.checks.map((check) => (
          <CheckBadge key={check.name} check={check} />
        ))}
      </span>
    ),
  },
  { header: "Reason", id: "reason", cell: ({ row }) => row.original.reason ?? "" },
  { header: "Uptime", id: "uptime", cell: ({ row }) => formatUptime(row.original.startedAt) },
  {
    header: "Memory",
    id: "memory",
    cell: ({ row }) => (row.original.memory === null ? "" : formatBytes(row.original.memory.rssBytes)),
  },
];

const mcpColumns: ColumnDef<McpServerHealth>[] = [
  { header: "Server", accessorKey: "server" },
  {
    header: "State",
    id: "healthy",
    cell: ({ row }) =>
      row.original.healthy === null ? (
        <Badge>not connected yet</Badge>
      ) : row.original.healthy ? (
        <Badge tone="ok">healthy</Badge>
      ) : (
        <Badge tone="danger">unreachable</Badge>
      ),
  },
  {
    header: "Last connection",
    id: "checkedAt",
    cell: ({ row }) => (row.original.checkedAt === null ? "" : new Date(row.original.checkedAt).toLocaleString()),
  },
  { header: "Error", id: "error", cell: ({ row }) => row.original.error ?? "" },
];

export function HealthPage() {
  const health = useHealth();
  const data = health.data;
  return (
    <>
      <PageHeader
        title="Health"
        description="Dependencies, every service instance and the MCP servers, refreshed every 10 seconds."
        actions={
          data === undefined ? null : (
            <Badge tone={data.status === "ok" ? "ok" : "danger"}>{data.status === "ok" ? "All systems ready" : "Degraded"}</Badge>
          )
        }
      />
      {health.isPending && <LoadingState label="Checking health…" />}
      {health.isError && data === undefined && (
        <ErrorState title="Could not load health" error={health.error} onRetry={() => void health.refetch()} />
      )}
      {data !== undefined && (
        <>
          <Section title="Dependencies" description="What the console itself depends on, as seen from this instance.">
            <DataTable label="Dependencies" columns={dependencyColumns} data={data.dependencies} getRowId={(r) => r.name} />
          </Section>
          <Section
            title="Service instances"
            description="Every instance answering on NATS ($SRV), whatever process or pod it runs in."
          >
            <DataTable label="Service instances" columns={instanceColumns} data={data.instances} getRowId={(r) => r.id} />
          </Section>
          <Section title="MCP servers" description="The last connection any gateway instance made to each enabled server.">
            <DataTable label="MCP servers" columns={mcpColumns} data={data.mcpServers} getRowId={(r) => r.server} />
          </Section>
        </>
      )}
    </>
  );
}
