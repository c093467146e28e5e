/**
 * /logs: the log explorer — one query box in the structured syntax (`user:… model:gpt-4o status:>=400 "text"`),
 * a source filter, newest rows first with "Load more" (cursor pages), and every field of a row in a dialog.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ScrollText, Search } from "lucide-react";
import { type FormEvent, useMemo, useState } from "react";
import { useApi } from "../api/use-api";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { Dialog } from "../components/dialog";
import { EmptyState } from "../components/empty-state";
import { PageHeader } from "../components/page-header";
import { type LogRow, type LogSource, searchLogs } from "./logs-api";

const SOURCES: Array<{ value: LogSource | "all"; label: string }> = [
  { value: "all", label: "All logs" },
  { value: "gateway", label: "Gateway" },
  { value: "mcp", label: "MCP" },
  { value: "audit", label: "Audit" },
  { value: "access", label: "Console access" },
  { value: "app", label: "Platform" },
];

const columns: ColumnDef<LogRow>[] = [
  {
    header: "Time",
    accessorKey: "occurredAt",
    cell: ({ row }) => new Date(row.original.occurredAt).toLocaleString(),
  },
  { header: "Source", accessorKey: "source", cell: ({ row }) => <Badge>{row.original.source}</Badge> },
  { header: "Event", accessorKey: "summary" },
  {
    header: "Who",
    id: "who",
    cell: ({ row }) => String(row.original.fields.user_id ?? row.original.fields.actor_name ?? ""),
  },
];

export function LogExplorerPage() {
  const api = useApi();
  const [source, setSource] = useState<LogSource | "all">("all");
  const [draft, setDraft] = useState("");
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<LogRow | null>(null);
  const logs = useInfiniteQuery({
    queryKey: ["logs", source, query],
    queryFn: ({ pageParam }) => searchLogs(api, source, query, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = useMemo(() => logs.data?.pages.flatMap((page) => page.rows), [logs.data]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = draft.trim();
    // Searching again for the same query asks the server again: logs keep arriving (audit-ingest stores an event
    // within about a second), and an unchanged query key alone would show the cached answer.
    if (next === query) void logs.refetch();
    else setQuery(next);
  }

  return (
    <>
      <PageHeader
        title="Log Explorer"
        description={
          <>
            Search gateway requests, MCP tool calls, admin changes and sign-ins. Syntax:{" "}
            <code>user:&lt;id&gt; model:gpt-4o status:&gt;=400 "free text"</code>.
          </>
        }
      />
      <form className="form-row" aria-label="Log search" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Source</span>
          <select aria-label="Source" value={source} onChange={(e) => setSource(e.target.value as LogSource | "all")}>
            {SOURCES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Query</span>
          <input
            aria-label="Query"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder='model:gpt-4o status:>=400 "timeout"'
          />
        </label>
        <button type="submit" className="button button-primary">
          <Search aria-hidden="true" />
          Search
        </button>
      </form>
      <DataTable
        label="Log rows"
        columns={columns}
        data={rows}
        loading={logs.isPending}
        error={logs.error}
        onRetry={() => logs.refetch()}
        getRowId={(row) => `${row.source}:${row.eventId}`}
        rowActions={(row) => (
          <button type="button" className="button button-small" onClick={() => setSelected(row)}>
            Details
          </button>
        )}
        empty={<EmptyState icon={ScrollText} title="No matching rows" description="Widen the query or pick another source." />}
        footer={
          logs.hasNextPage ? (
            <button type="button" className="button" disabled={logs.isFetchingNextPage} onClick={() => logs.fetchNextPage()}>
              Load more
            </button>
          ) : undefined
        }
      />
      <Dialog open={selected !== null} onClose={() => setSelected(null)} title={selected?.summary ?? ""} size="large">
        <figure aria-label="Row fields">
          <pre className="code-block">{JSON.stringify(selected?.fields ?? {}, null, 2)}</pre>
        </figure>
      </Dialog>
    </>
  );
}
