/** /mcp/tools: every tool of every enabled MCP server, under the names agents see, with a filter; and tool permissions. */
import { createColumnHelper } from "@tanstack/react-table";
import { Wrench } from "lucide-react";
import { useId, useMemo, useState } from "react";
import { DataTable } from "../components/data-table";
import { EmptyState } from "../components/empty-state";
import { PageHeader } from "../components/page-header";
import { useCan } from "../session/current-user";
import type { McpToolInfo } from "./mcp-api";
import { useMcpTools } from "./mcp-queries";
import { ToolGrantsPanel } from "./tool-grants-panel";

const column = createColumnHelper<McpToolInfo>();
const COLUMNS = [
  column.accessor("exposedName", { header: "Tool", cell: (c) => <code>{c.getValue()}</code> }),
  column.accessor("server", { header: "Server" }),
  column.accessor((t) => t.title ?? t.description ?? "", {
    id: "description",
    header: "Description",
    enableSorting: false,
  }),
];

export function ToolCatalogPage() {
  const tools = useMcpTools();
  const canGrant = useCan("mcp_tools:write");
  const [filter, setFilter] = useState("");
  const filterId = useId();
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const all = tools.data?.tools;
    if (all === undefined || needle === "") return all;
    return all.filter((t) => `${t.exposedName} ${t.server} ${t.description ?? ""}`.toLowerCase().includes(needle));
  }, [tools.data, filter]);

  return (
    <>
      <PageHeader title="Tool catalog" description="Every tool the gateway offers at /mcp, as agents see it: <prefix>__<tool>." />
      <div className="field">
        <label htmlFor={filterId}>Filter</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="tool, server or text"
        />
      </div>
      {tools.data !== undefined && tools.data.errors.length > 0 && (
        <ul className="error-list" role="alert">
          {tools.data.errors.map((e) => (
            <li key={e.server}>
              {e.server}: {e.error}
            </li>
          ))}
        </ul>
      )}
      <div className="card">
        <DataTable
          label="Tools"
          columns={COLUMNS}
          data={shown}
          loading={tools.isPending}
          error={tools.error}
          onRetry={() => void tools.refetch()}
          getRowId={(tool) => tool.exposedName}
          initialSorting={[{ id: "exposedName", desc: false }]}
          empty={<EmptyState icon={Wrench} title="No tools" description="Register an MCP server to see its tools here." />}
        />
      </div>
      <ToolGrantsPanel canWrite={canGrant} />
    </>
  );
}
