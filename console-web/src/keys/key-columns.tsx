/** The API keys table's columns. Keys show only by prefix; the plaintext is never listed. */
import { createColumnHelper } from "@tanstack/react-table";
import { Badge } from "../components/badge";
import { formatTime } from "../format/format-time";
import { keyStatus } from "./key-status";
import type { ApiKey } from "./keys-api";

const column = createColumnHelper<ApiKey>();

export function keyColumns(now: number) {
  return [
    column.accessor("name", { header: "Name", cell: (c) => <strong>{c.getValue()}</strong> }),
    column.accessor("prefix", { header: "Key", cell: (c) => <code>{c.getValue()}…</code>, enableSorting: false }),
    column.accessor((key) => key.surfaces.map((surface) => (surface === "ai_gateway" ? "AI" : "MCP")).join(", "), {
      id: "surfaces",
      header: "Gateways",
    }),
    column.accessor((key) => key.allowedModels?.join(", ") ?? "", {
      id: "models",
      header: "Models",
      cell: ({ row }) =>
        row.original.allowedModels === null ? <span className="muted">all</span> : row.original.allowedModels.join(", "),
    }),
    column.accessor("createdAt", { header: "Created", cell: (c) => formatTime(c.getValue()) }),
    column.accessor("expiresAt", {
      header: "Expires",
      sortUndefined: "last",
      cell: (c) => {
        const value = c.getValue();
        return value === null ? <span className="muted">never</span> : formatTime(value);
      },
    }),
    column.accessor((key) => keyStatus(key, now), {
      id: "status",
      header: "Status",
      cell: ({ row, getValue }) => {
        const status = getValue();
        return (
          <Badge tone={status === "active" ? "ok" : status === "revoked" ? "danger" : "warning"}>
            {status === "revoked" ? `revoked ${formatTime(row.original.revokedAt)}` : status}
          </Badge>
        );
      },
    }),
  ];
}
