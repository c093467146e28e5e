/**
 * The console's TanStack Query client. A 4xx will not change by asking again, so only network failures and 5xx are
 * retried (twice); data stays fresh for 15 s so moving between pages does not refetch everything.
 */
import { QueryClient } from "@tanstack/react-query";
import { toApiError } from "./api-error";

export function isRetryable(failureCount: number, error: unknown): boolean {
  const status = toApiError(error).status;
  return failureCount < 2 && (status === 0 || status >= 500);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 15_000, retry: isRetryable, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
