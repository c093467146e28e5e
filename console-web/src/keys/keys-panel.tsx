/** The home page's API keys section: the user's keys, create (with the one-time plaintext) and revoke. */
import { useState } from "react";
import { type ApiKey, type CreatedKey, listKeys, revokeKey } from "../api/keys-api";
import { ErrorBanner } from "../forms/error-banner";
import { useLoad } from "../hooks/use-load";
import { useSubmit } from "../hooks/use-submit";
import { useSession } from "../session/session-context";
import { KeyForm } from "./key-form";
import { KeyList } from "./key-list";
import { OneTimeKey } from "./one-time-key";

export function KeysPanel({ routedModels }: { routedModels: readonly string[] }) {
  const { api } = useSession();
  const keys = useLoad(() => listKeys(api));
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revokingId, setRevokingId] = useState<string | null>(null);
  const revoke = useSubmit((id: string) => revokeKey(api, id));

  async function onRevoke(key: ApiKey) {
    if (!window.confirm(`Revoke the key “${key.name}”? Clients using it stop working within seconds.`)) return;
    setRevokingId(key.id);
    const revoked = await revoke.run(key.id);
    setRevokingId(null);
    if (revoked !== undefined) keys.reload();
  }

  function onCreated(next: CreatedKey) {
    setCreated(next);
    keys.reload();
  }

  return (
    <section className="panel">
      <h2>API keys</h2>
      <p className="muted">Virtual keys (tw-…) for the gateway. Each request made with a key is logged against it.</p>
      <ErrorBanner error={keys.error ?? revoke.error} />
      {keys.data === undefined ? (
        keys.loading && <p className="muted">Loading keys…</p>
      ) : (
        <KeyList keys={keys.data} onRevoke={onRevoke} revokingId={revokingId} />
      )}
      {created !== null ? (
        <OneTimeKey
          created={created}
          routedModels={routedModels}
          doneLabel="I have copied the key"
          onDone={() => setCreated(null)}
        />
      ) : (
        <details className="create">
          <summary>Create an API key</summary>
          <KeyForm onCreated={onCreated} knownModels={routedModels} />
        </details>
      )}
    </section>
  );
}
