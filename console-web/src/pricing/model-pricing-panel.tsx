/** Model prices and quota multipliers on the Providers & Models page: the shipped table, overridable per model. */
import { createColumnHelper } from "@tanstack/react-table";
import { useState } from "react";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { Dialog } from "../components/dialog";
import { Section } from "../components/page-header";
import { useCan } from "../session/current-user";
import type { ModelPricing } from "./pricing-api";
import { PricingForm } from "./pricing-form";
import { useModelPricing } from "./pricing-queries";

const column = createColumnHelper<ModelPricing>();
const usd = (value: number | null) => (value === null ? "—" : `$${value}`);
const COLUMNS = [
  column.accessor("model", { header: "Model", cell: (cell) => <code>{cell.getValue()}</code> }),
  column.accessor("inputPerMTok", { header: "Input / 1M", cell: (cell) => usd(cell.getValue()) }),
  column.accessor("cachedInputPerMTok", { header: "Cached / 1M", cell: (cell) => usd(cell.getValue()) }),
  column.accessor("outputPerMTok", { header: "Output / 1M", cell: (cell) => usd(cell.getValue()) }),
  column.accessor((row) => `${row.inputMultiplier}× / ${row.outputMultiplier}×`, {
    id: "multipliers",
    header: "Multipliers in / out",
  }),
  column.accessor("source", {
    header: "Source",
    cell: (cell) => <Badge tone={cell.getValue() === "override" ? "info" : "neutral"}>{cell.getValue()}</Badge>,
  }),
];

export function ModelPricingPanel() {
  const prices = useModelPricing();
  const canWrite = useCan("models:write");
  const [editing, setEditing] = useState<ModelPricing | "new" | null>(null);
  return (
    <Section
      title="Model prices"
      description="USD per million tokens (cost on every request) and quota multipliers (weighted tokens for limits and budgets)."
      actions={
        canWrite ? (
          <button type="button" className="button button-secondary" onClick={() => setEditing("new")}>
            Price another model
          </button>
        ) : undefined
      }
    >
      <DataTable
        label="Model prices"
        columns={COLUMNS}
        data={prices.data}
        loading={prices.isPending}
        error={prices.error}
        onRetry={() => void prices.refetch()}
        getRowId={(row) => row.model}
        initialSorting={[{ id: "model", desc: false }]}
        rowActions={
          canWrite
            ? (row) => (
                <button type="button" className="button button-secondary button-small" onClick={() => setEditing(row)}>
                  Edit price of {row.model}
                </button>
              )
            : undefined
        }
      />
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === null || editing === "new" ? "Price a model" : `Price of ${editing.model}`}
      >
        {editing !== null && (
          <PricingForm
            pricing={editing === "new" ? null : editing}
            onSaved={() => setEditing(null)}
            actions={
              <button type="button" className="button button-secondary" onClick={() => setEditing(null)}>
                Cancel
              </button>
            }
          />
        )}
      </Dialog>
    </Section>
  );
}
