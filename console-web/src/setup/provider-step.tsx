/** Setup step 2 (optional): add the first upstream provider so the gateway has somewhere to route. */

import { ProviderForm } from "../providers/provider-form";
import type { Provider } from "../providers/providers-api";

export function ProviderStep({ onDone }: { onDone(provider: Provider | null): void }) {
  return (
    <>
      <p className="muted">
        Connect ThinkWatch to an AI provider and list the models to offer. You can add more providers later from the console.
      </p>
      <ProviderForm
        onCreated={onDone}
        submitLabel="Add provider and continue"
        actions={
          <button type="button" className="button button-secondary" onClick={() => onDone(null)}>
            Skip this step
          </button>
        }
      />
    </>
  );
}
