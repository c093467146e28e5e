/** The API keys table's columns. Keys show only by prefix; the plaintext is never listed. */
import { createColumnHelper } from "@tanstack/react-table";
import { Badge, type BadgeTone } from "../components/badge";
import { formatTime } from "../format/format-time";
import { keyStatus } from "./key-status";
import type { ApiKey, KeyStatus } from "./keys-api";
import { SURFACE_SHORT } from "./surface-labels";

const column = createColumnHelper<ApiKey>();

const TONES: Record<KeyStatus, BadgeTone> = {
  active: "ok",
  grace: "info",
  rotated: "neutral",
  expired: "warning",
  disabled: "warning",
  suspended: "warning",
  revoked: "danger",
  deleted: "danger",
};

function statusText(key: ApiKey, status: KeyStatus): string {
  switch (status) {
    case "grace":
      return `rotated, works until ${formatTime(key.graceEndsAt)}`;
    case "revoked":
      return `revoked ${formatTime(key.revokedAt)}`;
    case "disabled":
      return key.disabledReason === "inactive" ? "disabled (inactive)" : "disabled";
    case "suspended":
      return "suspended (owner deactivated)";
    default:
      return status;
  }
}

export function keyColumns(now: number) {
  return [
    column.accessor("name", { header: "Name", cell: (c) => <strong>{c.getValue()}</strong> }),
    column.accessor("prefix", { header: "Key", cell: (c) => <code>{c.getValue()}…</code>, enableSorting: false }),
    column.accessor((key) => key.surfaces.map((surface) => SURFACE_SHORT[surface]).join(", "), {
      id: "surfaces",
      header: "Gateways",
    }),
    column.accessor((key) => key.allowedModels?.join(", ") ?? "", {
      id: "models",
      header: "Scope",
      cell: ({ row }) => (
        <>
          {row.original.allowedModels === null ? <span className="muted">all</span> : row.original.allowedModels.join(", ")}
          {row.original.allowedMcpTools !== null && <div className="muted">tools: {row.original.allowedMcpTools.join(", ")}</div>}
          {row.original.strictConversion && <div className="muted">strict conversion</div>}
        </>
      ),
    }),
    column.accessor("lastUsedAt", {
      header: "Last used",
      sortUndefined: "last",
      cell: (c) => (c.getValue() === null ? <span className="muted">never</span> : formatTime(c.getValue())),
    }),
    column.accessor("lineageId", {
      header: "Lineage",
      enableSorting: false,
      cell: ({ row }) => (
        <span title={`lineage ${row.original.lineageId}`}>
          <code>{row.original.lineageId.slice(0, 8)}</code>
          {row.original.rotatedFromId !== null && <span className="muted"> (rotated)</span>}
        </span>
      ),
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
      cell: ({ row, getValue }) => <Badge tone={TONES[getValue()]}>{statusText(row.original, getValue())}</Badge>,
    }),
  ];
}
