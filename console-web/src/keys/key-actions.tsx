/** The row actions of one key: the lifecycle steps its status allows. */
import { isLive, keyStatus } from "./key-status";
import type { ApiKey } from "./keys-api";

export type KeyAction = "edit" | "rotate" | "reveal" | "revoke" | "delete";

export function KeyActions({ apiKey, onAction }: { apiKey: ApiKey; onAction(action: KeyAction, key: ApiKey): void }) {
  const status = keyStatus(apiKey, Date.now());
  const button = (action: KeyAction, label: string, tone = "button-secondary") => (
    <button
      type="button"
      className={`button ${tone} button-small`}
      aria-label={`${label} ${apiKey.name} (${apiKey.prefix}…)`}
      onClick={() => onAction(action, apiKey)}
    >
      {label}
    </button>
  );
  return (
    <span className="key-actions">
      {apiKey.pendingReveal && button("reveal", "Reveal", "button-primary")}
      {status === "active" && button("edit", "Edit")}
      {status === "active" && button("rotate", "Rotate")}
      {isLive(status) && button("revoke", status === "grace" ? "Force revoke" : "Revoke", "button-danger-quiet")}
      {status !== "deleted" && button("delete", "Delete", "button-danger-quiet")}
    </span>
  );
}
