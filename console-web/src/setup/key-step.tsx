/** Setup step 3 (optional): create a first API key and show it once, with examples for calling the gateway. */
import { useMemo, useState } from "react";
import { KeyForm } from "../keys/key-form";
import type { CreatedKey } from "../keys/keys-api";
import { OneTimeKey } from "../keys/one-time-key";
import { useProviders } from "../providers/provider-queries";
import { routedModelNames } from "../providers/routed-models";

export function KeyStep({ onDone }: { onDone(): void }) {
  const [created, setCreated] = useState<CreatedKey | null>(null);
  // Only used to suggest models; a failure here must not block creating the key, so its error is not shown.
  const providers = useProviders();
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
          <button type="button" className="button button-secondary" onClick={onDone}>
            Skip and finish
          </button>
        }
      />
    </>
  );
}
