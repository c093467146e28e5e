/** Setup step 3 (optional): create a first API key and show it once, with examples for calling the gateway. */
import { useMemo, useState } from "react";
import type { CreatedKey } from "../api/keys-api";
import { listProviders } from "../api/providers-api";
import { useLoad } from "../hooks/use-load";
import { KeyForm } from "../keys/key-form";
import { OneTimeKey } from "../keys/one-time-key";
import { routedModelNames } from "../providers/routed-models";
import { useSession } from "../session/session-context";

export function KeyStep({ onDone }: { onDone(): void }) {
  const { api } = useSession();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  // Only used to suggest models; a failure here must not block creating the key.
  const providers = useLoad(() => listProviders(api).catch(() => []));
  const routedModels = useMemo(() => routedModelNames(providers.data ?? []), [providers.data]);

  if (created !== null) {
    return <OneTimeKey created={created} routedModels={routedModels} doneLabel="Finish and open the console" onDone={onDone} />;
  }

  return (
    <>
      <p className="muted">Create a key for the gateway to try it out right away. The key is yours, the admin's.</p>
      <KeyForm
        onCreated={setCreated}
        knownModels={routedModels}
        submitLabel="Create key"
        actions={
          <button type="button" className="button-quiet" onClick={onDone}>
            Skip and finish
          </button>
        }
      />
    </>
  );
}
