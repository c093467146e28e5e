/** The configured providers as a table, with the models each one serves. */
import type { Provider } from "../api/providers-api";
import { formatTime } from "../format/format-time";
import { providerKindLabel } from "./provider-kinds";

export function ProviderList({ providers }: { providers: Provider[] }) {
  if (providers.length === 0) return <p className="muted">No providers yet. Add one below so the gateway can route requests.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Base URL</th>
            <th>Key</th>
            <th>Models</th>
            <th>Status</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((provider) => (
            <tr key={provider.id}>
              <td>{provider.name}</td>
              <td>{providerKindLabel(provider.kind)}</td>
              <td>
                <code>{provider.baseUrl}</code>
              </td>
              <td>{provider.hasApiKey ? "stored" : "none"}</td>
              <td>
                {provider.models.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul className="chips">
                    {provider.models.map((model) => (
                      <li
                        key={model.id}
                        className={model.isActive ? "chip" : "chip chip-off"}
                        title={`upstream: ${model.upstreamModel}`}
                      >
                        {model.model}
                        {model.upstreamModel !== model.model && <span className="muted"> → {model.upstreamModel}</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {provider.isActive ? <span className="badge badge-ok">active</span> : <span className="badge">inactive</span>}
              </td>
              <td>{formatTime(provider.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
