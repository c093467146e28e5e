/** /providers: the upstream AI providers the gateway routes to, with their models; admins add providers here. */
import { Plus, Server } from "lucide-react";
import { useState } from "react";
import { DataTable } from "../components/data-table";
import { Dialog } from "../components/dialog";
import { EmptyState } from "../components/empty-state";
import { PageHeader } from "../components/page-header";
import { useCan } from "../session/current-user";
import { PROVIDER_COLUMNS } from "./provider-columns";
import { ProviderForm } from "./provider-form";
import { useProviders } from "./provider-queries";

export function ProvidersPage() {
  const providers = useProviders();
  const canWrite = useCan("providers:write");
  const [adding, setAdding] = useState(false);

  const addButton = canWrite ? (
    <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
      <Plus aria-hidden="true" />
      Add provider
    </button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Providers & Models"
        description="Upstream AI providers the gateway routes model requests to, and the model names clients can call."
        actions={addButton}
      />
      <div className="card">
        <DataTable
          label="Providers"
          columns={PROVIDER_COLUMNS}
          data={providers.data}
          loading={providers.isPending}
          error={providers.error}
          onRetry={() => void providers.refetch()}
          getRowId={(provider) => provider.id}
          initialSorting={[{ id: "name", desc: false }]}
          empty={
            <EmptyState
              icon={Server}
              title="No providers yet"
              description="Add one so the gateway can route model requests."
              action={addButton}
            />
          }
        />
      </div>
      <Dialog
        open={adding}
        onClose={() => setAdding(false)}
        title="Add a provider"
        description="Connect an AI provider and list the models to offer through the gateway."
        size="large"
      >
        <ProviderForm
          onCreated={() => setAdding(false)}
          actions={
            <button type="button" className="button button-secondary" onClick={() => setAdding(false)}>
              Cancel
            </button>
          }
        />
      </Dialog>
    </>
  );
}
