/** The providers table's columns: name, kind, base URL, whether a key is stored, routed models, status, created. */
import { createColumnHelper } from "@tanstack/react-table";
import { Badge } from "../components/badge";
import { formatTime } from "../format/format-time";
import { providerKindLabel } from "./provider-kinds";
import type { Provider } from "./providers-api";

const column = createColumnHelper<Provider>();

export const PROVIDER_COLUMNS = [
  column.accessor("name", { header: "Name", cell: (c) => <strong>{c.getValue()}</strong> }),
  column.accessor((p) => providerKindLabel(p.kind), { id: "kind", header: "Kind" }),
  column.accessor("baseUrl", { header: "Base URL", cell: (c) => <code>{c.getValue()}</code>, enableSorting: false }),
  column.accessor("hasApiKey", { header: "Key", cell: (c) => (c.getValue() ? "stored" : "none") }),
  column.display({
    id: "models",
    header: "Models",
    cell: ({ row }) =>
      row.original.models.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <ul className="chips">
          {row.original.models.map((model) => (
            <li key={model.id} className={model.isActive ? "chip" : "chip chip-off"} title={`upstream: ${model.upstreamModel}`}>
              {model.model}
              {model.upstreamModel !== model.model && <span className="muted"> → {model.upstreamModel}</span>}
            </li>
          ))}
        </ul>
      ),
  }),
  column.accessor("isActive", {
    header: "Status",
    cell: (c) => (c.getValue() ? <Badge tone="ok">active</Badge> : <Badge>inactive</Badge>),
  }),
  column.accessor("createdAt", { header: "Created", cell: (c) => formatTime(c.getValue()) }),
];
