/** The user's virtual keys as a table, with a revoke button on each key that still works. */
import type { ApiKey } from "../api/keys-api";
import { formatTime } from "../format/format-time";
import { keyStatus } from "./key-status";

export interface KeyListProps {
  keys: ApiKey[];
  onRevoke(key: ApiKey): void;
  /** The id of the key being revoked right now, to disable its button. */
  revokingId: string | null;
}

export function KeyList({ keys, onRevoke, revokingId }: KeyListProps) {
  if (keys.length === 0) return <p className="muted">No API keys yet.</p>;
  const now = Date.now();
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Gateways</th>
            <th>Models</th>
            <th>Created</th>
            <th>Expires</th>
            <th>Status</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const status = keyStatus(key, now);
            return (
              <tr key={key.id} className={status === "active" ? undefined : "row-dim"}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{key.surfaces.map((surface) => (surface === "ai_gateway" ? "AI" : "MCP")).join(", ")}</td>
                <td>{key.allowedModels === null ? <span className="muted">all</span> : key.allowedModels.join(", ")}</td>
                <td>{formatTime(key.createdAt)}</td>
                <td>{key.expiresAt === null ? <span className="muted">never</span> : formatTime(key.expiresAt)}</td>
                <td>
                  <span className={status === "active" ? "badge badge-ok" : "badge badge-off"}>
                    {status === "revoked" ? `revoked ${formatTime(key.revokedAt)}` : status}
                  </span>
                </td>
                <td>
                  {status !== "revoked" && (
                    <button
                      type="button"
                      className="button-small button-danger"
                      onClick={() => onRevoke(key)}
                      disabled={revokingId !== null}
                    >
                      {revokingId === key.id ? "Revoking…" : "Revoke"}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
