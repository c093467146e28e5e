/**
 * Rotate a key: choose the grace period (empty: the setting's default), then show the new key once, with copy. The
 * old key keeps working until the grace period ends.
 */
import { useState } from "react";
import { ErrorState } from "../components/error-state";
import { formatTime } from "../format/format-time";
import { useRotateKey } from "./key-queries";
import type { ApiKey, RotateKeyResponse } from "./keys-api";
import { OneTimeKey } from "./one-time-key";

export function KeyRotate({ apiKey, routedModels, onDone }: { apiKey: ApiKey; routedModels: readonly string[]; onDone(): void }) {
  const rotate = useRotateKey();
  const [graceHours, setGraceHours] = useState("");
  const [rotated, setRotated] = useState<RotateKeyResponse | null>(null);
  const invalid = graceHours.trim() !== "" && !(/^\d+$/.test(graceHours.trim()) && Number(graceHours) <= 720);

  if (rotated !== null) {
    return (
      <>
        <p>
          The old key <code>{rotated.previous.prefix}…</code> keeps working until{" "}
          <strong>{formatTime(rotated.previous.graceEndsAt)}</strong>.
        </p>
        <OneTimeKey created={rotated} routedModels={routedModels} doneLabel="I have copied the new key" onDone={onDone} />
      </>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (invalid) return;
        const hours = graceHours.trim() === "" ? undefined : Number(graceHours);
        rotate.mutate({ id: apiKey.id, ...(hours === undefined ? {} : { graceHours: hours }) }, { onSuccess: setRotated });
      }}
    >
      <p>
        A new key replaces “{apiKey.name}” (<code>{apiKey.prefix}…</code>). Limits and usage continue on the same lineage.
      </p>
      <div className="field">
        <label htmlFor="grace-hours">Grace period for the old key (hours)</label>
        <input
          id="grace-hours"
          inputMode="numeric"
          placeholder="default from settings"
          value={graceHours}
          aria-invalid={invalid}
          onChange={(event) => setGraceHours(event.target.value)}
        />
        {invalid && <p className="field-error">the grace period must be a whole number of hours from 0 to 720</p>}
      </div>
      {rotate.error !== null && <ErrorState title="Could not rotate the key" error={rotate.error} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={rotate.isPending}>
          {rotate.isPending ? "Rotating…" : "Rotate key"}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
