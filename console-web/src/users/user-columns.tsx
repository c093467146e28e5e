/** The Users table's columns. */
import { createColumnHelper } from "@tanstack/react-table";
import { Badge } from "../components/badge";
import { formatTime } from "../format/format-time";
import type { User } from "./users-api";

const column = createColumnHelper<User>();

export function userColumns() {
  return [
    column.accessor("displayName", { header: "Name", cell: (c) => <strong>{c.getValue()}</strong> }),
    column.accessor("email", { header: "Email" }),
    column.accessor("role", { header: "Role", cell: (c) => <Badge tone="info">{c.getValue().replace("_", " ")}</Badge> }),
    column.accessor((user) => (!user.active ? "deactivated" : user.hasPassword ? "active" : "invited"), {
      id: "status",
      header: "Status",
      cell: (c) => {
        const status = c.getValue();
        return <Badge tone={status === "active" ? "ok" : status === "invited" ? "warning" : "danger"}>{status}</Badge>;
      },
    }),
    column.accessor("createdAt", { header: "Created", cell: (c) => formatTime(c.getValue()) }),
  ];
}
