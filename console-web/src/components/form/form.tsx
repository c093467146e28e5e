/**
 * A react-hook-form form with the console's error handling:
 * - client validation (the form's resolver) marks fields and, after a submit, says "Please correct the highlighted
 *   fields." at the top;
 * - a failed request (`error`, an ApiError) is shown at the top with its request id; its `details.fields` messages
 *   go next to the inputs listed in `shownFields` (API paths; entries ending in "." cover a group, e.g. "models."),
 *   renamed by `rename` where the form names a field differently (`{ "admin.email": "email" }`); messages for any
 *   other path stay listed in the banner so none is lost.
 *
 *   const form = useForm({ resolver: valibotResolver(Schema), defaultValues });
 *   const create = useMutation({ mutationFn: … });
 *   <Form form={form} onSubmit={(values) => create.mutate(values)} error={create.error} shownFields={["name"]}>
 *     <TextField name="name" label="Name" /> <SubmitButton pending={create.isPending}>Create</SubmitButton>
 *   </Form>
 */
import { type ReactNode, useEffect, useMemo } from "react";
import { type FieldValues, FormProvider, type Path, type SubmitHandler, type UseFormReturn } from "react-hook-form";
import { toApiError } from "../../api/api-error";
import { ErrorBanner } from "./error-banner";
import { isShownField } from "./field-errors";

export interface FormProps<Values extends FieldValues, Output = Values> {
  // biome-ignore lint/suspicious/noExplicitAny: the form's context type is the caller's business.
  form: UseFormReturn<Values, any, Output>;
  onSubmit: SubmitHandler<Output>;
  /** The last failed request (e.g. a mutation's error), or null. */
  error?: unknown;
  shownFields?: readonly string[];
  rename?: Readonly<Record<string, string>>;
  children: ReactNode;
  className?: string;
  /** Names the form for screen readers when it has no visible heading of its own. */
  label?: string;
}

export function Form<Values extends FieldValues, Output = Values>({
  form,
  onSubmit,
  error = null,
  shownFields = [],
  rename = {},
  children,
  className = "form",
  label,
}: FormProps<Values, Output>) {
  // Memoized: toApiError wraps a non-ApiError in a new object, which would re-run the effect below on every render.
  const apiError = useMemo(() => (error === null || error === undefined ? null : toApiError(error)), [error]);
  const shownKey = shownFields.join("|");
  const renameKey = JSON.stringify(rename);

  // Put the server's field messages next to their inputs. Keys stand in for the arrays so a new array per render
  // does not re-run this.
  // biome-ignore lint/correctness/useExhaustiveDependencies: shownKey and renameKey stand for shownFields and rename
  useEffect(() => {
    if (apiError === null) return;
    for (const [path, message] of Object.entries(apiError.fields)) {
      if (!isShownField(path, shownFields)) continue;
      form.setError((rename[path] ?? path) as Path<Values>, { type: "server", message });
    }
  }, [apiError, form, shownKey, renameKey]);

  const clientErrors = Object.keys(form.formState.errors).length > 0 && form.formState.submitCount > 0;
  return (
    <FormProvider {...form}>
      <form className={className} onSubmit={form.handleSubmit(onSubmit)} noValidate aria-label={label}>
        {apiError !== null ? (
          <ErrorBanner error={apiError} shownFields={shownFields} />
        ) : (
          clientErrors && (
            <div className="banner banner-error" role="alert">
              Please correct the highlighted fields.
            </div>
          )
        )}
        {children}
      </form>
    </FormProvider>
  );
}

export function SubmitButton({
  pending,
  pendingLabel,
  children,
}: {
  pending: boolean;
  pendingLabel?: string;
  children: ReactNode;
}) {
  return (
    <button type="submit" className="button button-primary" disabled={pending}>
      {pending ? (pendingLabel ?? "Saving…") : children}
    </button>
  );
}
