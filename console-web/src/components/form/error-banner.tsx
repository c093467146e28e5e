/** Shows an API failure above a form: the message, any field messages the form has no input for, and the request id. */
import type { ApiError } from "../../api/api-error";
import { unshownFieldErrors } from "./field-errors";

export interface ErrorBannerProps {
  error: ApiError | null;
  /** Field paths the form already shows next to their inputs (see isShownField). */
  shownFields?: readonly string[];
}

export function ErrorBanner({ error, shownFields = [] }: ErrorBannerProps) {
  if (error === null) return null;
  const hasFields = Object.keys(error.fields).length > 0;
  const unshown = unshownFieldErrors(error.fields, shownFields);
  return (
    <div className="banner banner-error" role="alert">
      <div>{hasFields ? "Please correct the highlighted fields." : error.message}</div>
      {unshown.length > 0 && (
        <ul>
          {unshown.map(([path, message]) => (
            <li key={path}>
              <code>{path}</code>: {message}
            </li>
          ))}
        </ul>
      )}
      {error.requestId !== null && <div className="banner-meta">Request id: {error.requestId}</div>}
    </div>
  );
}
