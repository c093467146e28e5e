/** The home page's providers section: the configured upstream providers and a form to add one (admin role). */
import type { Provider } from "../api/providers-api";
import { ErrorBanner } from "../forms/error-banner";
import type { Loaded } from "../hooks/use-load";
import { ProviderForm } from "./provider-form";
import { ProviderList } from "./provider-list";

export function ProvidersPanel({ providers }: { providers: Loaded<Provider[]> }) {
  return (
    <section className="panel">
      <h2>Providers</h2>
      <p className="muted">Upstream AI providers the gateway routes model requests to.</p>
      <ErrorBanner error={providers.error} />
      {providers.data === undefined ? (
        providers.loading && <p className="muted">Loading providers…</p>
      ) : (
        <ProviderList providers={providers.data} />
      )}
      <details className="create">
        <summary>Add a provider</summary>
        <ProviderForm onCreated={providers.reload} />
      </details>
    </section>
  );
}
