/** A labelled form control with an optional hint and the error message for that field right under it. */
import type { ReactNode } from "react";

export interface FieldProps {
  /** The control's id; the hint and error get `${id}-hint` / `${id}-error` (point aria-describedby at them). */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}

export function Field({ id, label, hint, error, children }: FieldProps) {
  return (
    <div className={error === undefined ? "field" : "field field-invalid"}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint !== undefined && (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error !== undefined && (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** aria-describedby for a control inside <Field>: its hint and its error, when shown. */
export function describedBy(id: string, hint: unknown, error: string | undefined): string | undefined {
  const ids = [hint === undefined ? null : `${id}-hint`, error === undefined ? null : `${id}-error`].filter((x) => x !== null);
  return ids.length === 0 ? undefined : ids.join(" ");
}
