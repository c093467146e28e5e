/** Run a form's API call with a pending flag and the last error, so every form shows progress and failures alike. */
import { useCallback, useState } from "react";
import { type ApiError, toApiError } from "../api/api-error";

export interface Submit<A extends unknown[], R> {
  /** Resolves to the action's result, or undefined when it failed (the error is then in `error`). */
  run(...args: A): Promise<R | undefined>;
  pending: boolean;
  error: ApiError | null;
  setError(error: ApiError | null): void;
}

export function useSubmit<A extends unknown[], R>(action: (...args: A) => Promise<R>): Submit<A, R> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const run = useCallback(
    async (...args: A) => {
      setPending(true);
      setError(null);
      try {
        return await action(...args);
      } catch (failure) {
        setError(toApiError(failure));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [action],
  );

  return { run, pending, error, setError };
}
