/** /models: the model names clients call, the routes serving each (weights, priorities, caps) and their breaker state. */
import { Plus, Route } from "lucide-react";
import { useState } from "react";
import { toApiError } from "../api/api-error";
import { DataTable } from "../components/data-table";
import { Dialog } from "../components/dialog";
import { EmptyState } from "../components/empty-state";
import { ErrorBanner } from "../components/form/error-banner";
import { PageHeader } from "../components/page-header";
import { useProviders } from "../providers/provider-queries";
import { useCan } from "../session/current-user";
import { MODEL_COLUMNS } from "./model-columns";
import { ModelForm } from "./model-form";
import { emptyRoute, modelFormValues } from "./model-form-values";
import { useDeleteModel, useModels } from "./model-queries";
import type { ModelView } from "./models-api";

type Editing = { kind: "create" } | { kind: "edit"; model: ModelView } | { kind: "delete"; model: ModelView } | null;

export function ModelsPage() {
  const models = useModels();
  const canWrite = useCan("models:write");
  const providers = useProviders({ enabled: canWrite });
  const remove = useDeleteModel();
  const [editing, setEditing] = useState<Editing>(null);
  const close = () => setEditing(null);
  const activeProviders = (providers.data ?? []).filter((p) => p.isActive);

  const addButton = canWrite ? (
    <button type="button" className="button button-primary" onClick={() => setEditing({ kind: "create" })}>
      <Plus aria-hidden="true" />
      Add model
    </button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Models"
        description="Each model name clients call is served by one or more routes; the gateway balances, retries and falls back between them."
        actions={addButton}
      />
      <div className="card">
        <DataTable
          label="Models"
          columns={MODEL_COLUMNS}
          data={models.data}
          loading={models.isPending}
          error={models.error}
          onRetry={() => void models.refetch()}
          getRowId={(model) => model.id}
          initialSorting={[{ id: "model", desc: false }]}
          rowActions={
            canWrite
              ? (model) => (
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      onClick={() => setEditing({ kind: "edit", model })}
                    >
                      Edit routes
                    </button>
                    <button
                      type="button"
                      className="button button-danger-quiet button-small"
                      onClick={() => {
                        remove.reset();
                        setEditing({ kind: "delete", model });
                      }}
                    >
                      Delete
                    </button>
                  </div>
                )
              : undefined
          }
          empty={
            <EmptyState
              icon={Route}
              title="No models yet"
              description="Add a model and the routes that serve it."
              action={addButton}
            />
          }
        />
      </div>
      <Dialog
        open={editing?.kind === "create" || editing?.kind === "edit"}
        onClose={close}
        title={editing?.kind === "edit" ? `Routes of ${editing.model.model}` : "Add a model"}
        size="large"
      >
        {(editing?.kind === "create" || editing?.kind === "edit") && (
          <ModelForm
            key={editing.kind === "edit" ? editing.model.id : "new"}
            providers={activeProviders}
            {...(editing.kind === "edit" ? { model: editing.model } : {})}
            initial={
              editing.kind === "edit"
                ? modelFormValues(editing.model)
                : { model: "", routes: [emptyRoute(activeProviders[0]?.id ?? "")] }
            }
            onDone={close}
            actions={
              <button type="button" className="button button-secondary" onClick={close}>
                Cancel
              </button>
            }
          />
        )}
      </Dialog>
      <Dialog
        open={editing?.kind === "delete"}
        onClose={close}
        title={editing?.kind === "delete" ? `Delete ${editing.model.model}?` : "Delete model"}
        description="Clients calling this name get “model not found” right away. The routes go with it."
        size="small"
        footer={
          editing?.kind === "delete" && (
            <>
              <button
                type="button"
                className="button button-danger"
                disabled={remove.isPending}
                onClick={() => remove.mutate(editing.model.id, { onSuccess: close })}
              >
                Delete model
              </button>
              <button type="button" className="button button-secondary" onClick={close}>
                Cancel
              </button>
            </>
          )
        }
      >
        {remove.error !== null && <ErrorBanner error={toApiError(remove.error)} shownFields={[]} />}
      </Dialog>
    </>
  );
}
