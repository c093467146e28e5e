/** The models table's columns: name, each route with its traffic share, priority, caps and breaker state, status. */
import { createColumnHelper } from "@tanstack/react-table";
import { Badge, type BadgeTone } from "../components/badge";
import { trafficShare } from "./model-form-values";
import type { ModelView, RouteHealthView } from "./models-api";

const column = createColumnHelper<ModelView>();

const BREAKER: Record<RouteHealthView["state"], { tone: BadgeTone; label: string; title: string }> = {
  closed: { tone: "ok", label: "healthy", title: "Circuit breaker closed: the route takes traffic." },
  open: { tone: "danger", label: "breaker open", title: "Too many recent failures: the route is skipped until it recovers." },
  half_open: { tone: "warning", label: "probing", title: "Recovery period over: a few probe requests test the route." },
  unknown: { tone: "neutral", label: "unknown", title: "No gateway replica reported the route's state." },
};

export const MODEL_COLUMNS = [
  column.accessor("model", { header: "Model", cell: (c) => <strong>{c.getValue()}</strong> }),
  column.display({
    id: "routes",
    header: "Routes",
    cell: ({ row }) => (
      <ul className="route-list">
        {row.original.routes.map((route) => {
          const share = trafficShare(row.original, route.id);
          const breaker = BREAKER[route.health?.state ?? "unknown"];
          return (
            <li key={route.id} data-route={route.id}>
              <span className="route-target">
                {route.providerName ?? "deleted provider"} → <code>{route.upstreamModel}</code>
              </span>
              <span className="muted">
                {" "}
                P{route.priority} · weight {route.weight}
                {share === null ? "" : ` (${share}%)`}
                {route.rpmLimit === null ? "" : ` · ${route.rpmLimit} req/min`}
                {route.tpmLimit === null ? "" : ` · ${route.tpmLimit} tok/min`}
              </span>{" "}
              {route.enabled ? (
                <Badge tone={breaker.tone} title={breaker.title}>
                  {breaker.label}
                </Badge>
              ) : (
                <Badge>disabled</Badge>
              )}
            </li>
          );
        })}
      </ul>
    ),
  }),
  column.accessor("isActive", {
    header: "Status",
    cell: (c) => (c.getValue() ? <Badge tone="ok">active</Badge> : <Badge>inactive</Badge>),
  }),
];
