/**
 * /keys: the signed-in user's virtual keys — create (plaintext shown once, with ready-to-paste snippets), list with
 * last use and lineage, edit scopes and expiry, rotate (new key shown once), reveal an automatically rotated key,
 * revoke or force-revoke, delete.
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
import { type KeyAction, KeyActions } from "./key-actions";
import { keyColumns } from "./key-columns";
import { KeyEditForm } from "./key-edit-form";
import { KeyForm } from "./key-form";
import { useDeleteKey, useMyKeys, useRevealKey, useRevokeKey } from "./key-queries";
import { KeyRotate } from "./key-rotate";
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
  const [forceRevoke, setForceRevoke] = useState(false);
  const [editing, setEditing] = useState<ApiKey | null>(null);
  const [rotating, setRotating] = useState<ApiKey | null>(null);
  const [deleting, setDeleting] = useState<ApiKey | null>(null);
  const [revealed, setRevealed] = useState<CreatedKey | null>(null);
  const revoke = useRevokeKey();
  const remove = useDeleteKey();
  const reveal = useRevealKey();

  function onAction(action: KeyAction, key: ApiKey) {
    switch (action) {
      case "edit":
        return setEditing(key);
      case "rotate":
        return setRotating(key);
      case "reveal":
        return reveal.mutate(key.id, { onSuccess: setRevealed });
      case "revoke":
        revoke.reset();
        // A key in its grace period can only be stopped early with force.
        setForceRevoke(keyStatus(key, Date.now()) === "grace");
        return setRevoking(key);
      case "delete":
        remove.reset();
        return setDeleting(key);
    }
  }

  function closeCreate() {
    setCreating(false);
    setCreated(null);
  }

  function confirmRevoke() {
    if (revoking === null) return;
    revoke.mutate({ id: revoking.id, force: forceRevoke }, { onSuccess: () => setRevoking(null) });
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
          rowActions={canWrite ? (key) => <KeyActions apiKey={key} onAction={onAction} /> : undefined}
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

      {reveal.error !== null && <ErrorState title="Could not reveal the key" error={reveal.error} />}

      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={`Edit “${editing?.name ?? ""}”`} size="large">
        {editing !== null && <KeyEditForm apiKey={editing} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />}
      </Dialog>

      <Dialog open={rotating !== null} onClose={() => setRotating(null)} title="Rotate API key" size="large">
        {rotating !== null && <KeyRotate apiKey={rotating} routedModels={routedModels} onDone={() => setRotating(null)} />}
      </Dialog>

      <Dialog open={revealed !== null} onClose={() => setRevealed(null)} title="Your rotated API key" size="large">
        {revealed !== null && (
          <OneTimeKey
            created={revealed}
            routedModels={routedModels}
            doneLabel="I have copied the key"
            onDone={() => setRevealed(null)}
          />
        )}
      </Dialog>

      <ConfirmDialog
        open={revoking !== null}
        title={forceRevoke ? "Force-revoke API key" : "Revoke API key"}
        message={
          <>
            Revoke the key “{revoking?.name}”? Clients using it stop working within a second. This cannot be undone.{" "}
            <Badge>{revoking?.prefix}…</Badge>
            {revoking !== null && keyStatus(revoking, Date.now()) !== "grace" && (
              <label className="checkbox">
                <input type="checkbox" checked={forceRevoke} onChange={(event) => setForceRevoke(event.target.checked)} />
                Force: also stop rotated predecessors still in their grace period
              </label>
            )}
          </>
        }
        confirmLabel={forceRevoke ? "Force-revoke key" : "Revoke key"}
        tone="danger"
        pending={revoke.isPending}
        error={revoke.error === null ? undefined : <ErrorState title="Could not revoke the key" error={revoke.error} />}
        onConfirm={confirmRevoke}
        onCancel={() => setRevoking(null)}
      />

      <ConfirmDialog
        open={deleting !== null}
        title="Delete API key"
        message={
          <>
            Delete the key “{deleting?.name}”? It stops working at once and is purged after the retention period.{" "}
            <Badge>{deleting?.prefix}…</Badge>
          </>
        }
        confirmLabel="Delete key"
        tone="danger"
        pending={remove.isPending}
        error={remove.error === null ? undefined : <ErrorState title="Could not delete the key" error={remove.error} />}
        onConfirm={() => deleting !== null && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        onCancel={() => setDeleting(null)}
      />
    </>
  );
}
