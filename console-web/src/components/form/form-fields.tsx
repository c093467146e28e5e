/**
 * Inputs wired to react-hook-form: use them inside <Form form={…}>. Each reads its value and its error (client
 * validation or a server `details.fields` message, see <Form>) by `name`, a path such as `settings.region` or
 * `models.0.model`, and renders it with a label and hint.
 */
import { type ReactNode, useId } from "react";
import { type FieldValues, get, type Path, type RegisterOptions, useFormContext } from "react-hook-form";
import { describedBy, Field } from "./field";

interface BaseProps<T extends FieldValues> {
  name: Path<T>;
  label: ReactNode;
  hint?: ReactNode;
  /** Passed to register(), e.g. `{ setValueAs }`; validation belongs in the form's resolver. */
  options?: RegisterOptions<T, Path<T>>;
}

function useFieldState<T extends FieldValues>(name: Path<T>) {
  const form = useFormContext<T>();
  const error = get(form.formState.errors, name) as { message?: string } | undefined;
  return { form, error: error === undefined ? undefined : (error.message ?? "invalid value") };
}

export interface TextFieldProps<T extends FieldValues> extends BaseProps<T> {
  type?: "text" | "email" | "password" | "url" | "search" | "tel";
  placeholder?: string;
  autoComplete?: string;
  maxLength?: number;
}

export function TextField<T extends FieldValues>({ name, label, hint, options, type = "text", ...input }: TextFieldProps<T>) {
  const id = useId();
  const { form, error } = useFieldState<T>(name);
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        type={type}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
        {...form.register(name, options)}
      />
    </Field>
  );
}

export interface TextAreaFieldProps<T extends FieldValues> extends BaseProps<T> {
  rows?: number;
  placeholder?: string;
}

export function TextAreaField<T extends FieldValues>({ name, label, hint, options, rows = 4, ...input }: TextAreaFieldProps<T>) {
  const id = useId();
  const { form, error } = useFieldState<T>(name);
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        rows={rows}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
        {...form.register(name, options)}
      />
    </Field>
  );
}

export interface NumberFieldProps<T extends FieldValues> extends BaseProps<T> {
  min?: number;
  max?: number;
  step?: number;
  placeholder?: string;
}

/** The value stays the typed text; convert it in the schema (an empty input means "not set", not 0). */
export function NumberField<T extends FieldValues>({ name, label, hint, options, ...input }: NumberFieldProps<T>) {
  const id = useId();
  const { form, error } = useFieldState<T>(name);
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
        {...form.register(name, options)}
      />
    </Field>
  );
}

export interface SelectFieldProps<T extends FieldValues> extends BaseProps<T> {
  choices: readonly { value: string; label: string }[];
}

export function SelectField<T extends FieldValues>({ name, label, hint, options, choices }: SelectFieldProps<T>) {
  const id = useId();
  const { form, error } = useFieldState<T>(name);
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...form.register(name, options)}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function CheckboxField<T extends FieldValues>({ name, label, hint, options }: BaseProps<T>) {
  const id = useId();
  const { form, error } = useFieldState<T>(name);
  return (
    <div className={error === undefined ? "field" : "field field-invalid"}>
      <label className="checkbox" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          aria-invalid={error !== undefined}
          aria-describedby={describedBy(id, hint, error)}
          {...form.register(name, options)}
        />
        {label}
      </label>
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

/** An error for a group of controls (a fieldset of checkboxes, a list of rows), read from the form state by name. */
export function GroupError<T extends FieldValues>({ name }: { name: Path<T> }) {
  const { error } = useFieldState<T>(name);
  if (error === undefined) return null;
  return (
    <div className="field-error" role="alert">
      {error}
    </div>
  );
}
