/**
 * A failed load or action: the API's message, its error code and the request id (what support needs to find the
 * request in the logs), and a retry button when retrying can help. Accepts any thrown value.
 */
import { AlertTriangle } from "lucide-react";
import { toApiError } from "../api/api-error";

export interface ErrorStateProps {
  error: unknown;
  /** Heading above the message, e.g. "Could not load the API keys". */
  title?: string;
  onRetry?: () => void;
}

export function ErrorState({ error, title = "Something went wrong", onRetry }: ErrorStateProps) {
  const apiError = toApiError(error);
  return (
    <div className="state state-error" role="alert">
      <AlertTriangle className="state-icon" aria-hidden="true" />
      <div className="state-body">
        <div className="state-title">{title}</div>
        <p className="state-text">{apiError.message}</p>
        <dl className="state-meta">
          <div>
            <dt>Code</dt>
            <dd>
              <code>{apiError.code}</code>
            </dd>
          </div>
          {apiError.requestId !== null && (
            <div>
              <dt>Request id</dt>
              <dd>
                <code>{apiError.requestId}</code>
              </dd>
            </div>
          )}
        </dl>
        {onRetry !== undefined && (
          <button type="button" className="button button-secondary button-small" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </div>
  );
}
