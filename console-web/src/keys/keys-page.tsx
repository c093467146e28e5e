/**
 * /keys: the signed-in user's virtual keys — create (plaintext shown once, with ready-to-paste snippets), list,
 * revoke (after a confirmation).
 */
import { KeyRound, Plus } from "lucide-react";
import { useMemo, useState } from "react";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { ConfirmDialog, Dialog } from "../components/dialog";
import { EmptyState } from "../components/empty-state";
import { ErrorState } from "../components/error-state";
import { PageHeader } from "../components/page-header";
import { useProviders } from "../providers/provider-queries";
import { routedModelNames } from "../providers/routed-models";
import { useCan } from "../session/current-user";
import { keyColumns } from "./key-columns";
import { KeyForm } from "./key-form";
import { useMyKeys, useRevokeKey } from "./key-queries";
import { keyStatus } from "./key-status";
import type { ApiKey, CreatedKey } from "./keys-api";
import { OneTimeKey } from "./one-time-key";

export function KeysPage() {
  const keys = useMyKeys();
  const canWrite = useCan("api_keys:write");
  // Only to suggest models in the form; users without providers:read simply get no suggestions.
  const providers = useProviders({ enabled: useCan("providers:read") });
  const routedModels = useMemo(() => routedModelNames(providers.data ?? []), [providers.data]);
  const columns = useMemo(() => keyColumns(Date.now()), []);

  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revoke = useRevokeKey();

  function closeCreate() {
    setCreating(false);
    setCreated(null);
  }

  function confirmRevoke() {
    if (revoking === null) return;
    revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) });
  }

  const createButton = canWrite ? (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      <Plus aria-hidden="true" />
      Create key
    </button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="API Keys"
        description="Virtual keys (tw-…) for the gateway. Each request made with a key is logged against it."
        actions={createButton}
      />
      <div className="card">
        <DataTable
          label="API keys"
          columns={columns}
          data={keys.data}
          loading={keys.isPending}
          error={keys.error}
          onRetry={() => void keys.refetch()}
          getRowId={(key) => key.id}
          rowClassName={(key) => (keyStatus(key, Date.now()) === "active" ? undefined : "row-dim")}
          initialSorting={[{ id: "createdAt", desc: true }]}
          empty={
            <EmptyState
              icon={KeyRound}
              title="No API keys yet"
              description="Create a key to call the gateway from your tools and code."
              action={createButton}
            />
          }
          rowActions={
            canWrite
              ? (key) =>
                  key.revokedAt === null && (
                    <button
                      type="button"
                      className="button button-danger-quiet button-small"
                      onClick={() => {
                        revoke.reset();
                        setRevoking(key);
                      }}
                    >
                      Revoke
                    </button>
                  )
              : undefined
          }
        />
      </div>

      <Dialog
        open={creating}
        onClose={closeCreate}
        title={created === null ? "Create an API key" : "Your new API key"}
        size="large"
      >
        {created === null ? (
          <KeyForm
            onCreated={setCreated}
            knownModels={routedModels}
            actions={
              <button type="button" className="button button-secondary" onClick={closeCreate}>
                Cancel
              </button>
            }
          />
        ) : (
          <OneTimeKey created={created} routedModels={routedModels} doneLabel="I have copied the key" onDone={closeCreate} />
        )}
      </Dialog>

      <ConfirmDialog
        open={revoking !== null}
        title="Revoke API key"
        message={
          <>
            Revoke the key “{revoking?.name}”? Clients using it stop working within seconds. This cannot be undone.{" "}
            <Badge>{revoking?.prefix}…</Badge>
          </>
        }
        confirmLabel="Revoke key"
        tone="danger"
        pending={revoke.isPending}
        error={revoke.error === null ? undefined : <ErrorState title="Could not revoke the key" error={revoke.error} />}
        onConfirm={confirmRevoke}
        onCancel={() => setRevoking(null)}
      />
    </>
  );
}
