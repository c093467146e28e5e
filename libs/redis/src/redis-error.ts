/** Maps ioredis failures to AppError: server-side command errors are bugs, everything else may pass if retried. */
import { AppError } from "@thinkwatch/errors";

/** Replies that mean "the server is busy or not ready yet", not "your command is wrong". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY)\b/;
/** Any other error reply from Redis: ERR, WRONGTYPE, NOAUTH, script errors … */
const ERROR_REPLY = /^[A-Z]+ /;

export function toRedisAppError(caught: unknown, action: string): AppError {
  if (caught instanceof AppError) return caught;
  const message = caught instanceof Error ? caught.message : String(caught);
  const transient =
    TRANSIENT_REPLY.test(message) ||
    !ERROR_REPLY.test(message) ||
    (caught instanceof Error && caught.name === "MaxRetriesPerRequestError");
  return new AppError(transient ? "unavailable" : "internal", `Redis ${action} failed: ${message.split("\n")[0]}`, {
    cause: caught,
    retryable: transient,
  });
}
