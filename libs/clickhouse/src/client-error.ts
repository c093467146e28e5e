/** Maps what @clickhouse/client throws to AppError, marking overload and connection failures as retryable. */
import { ClickHouseError } from "@clickhouse/client";
import { AppError } from "@thinkwatch/errors";

/**
 * Server error codes worth retrying: the request may succeed later unchanged
 * (too many queries/parts, memory, timeouts, network, table being created by another process).
 */
const RETRYABLE_SERVER_CODES = new Set([
  "159",
  "160",
  "164",
  "202",
  "203",
  "209",
  "210",
  "241",
  "252",
  "285",
  "425",
  "999",
  "1000",
]);

/**
 * The server's error code: a ClickHouseError carries it; the client only recognises the modern message format,
 * so 18.16's "Code: 62, e.displayText() = …" arrives as a plain Error and is read from the text.
 */
function serverCode(caught: unknown): string | undefined {
  if (caught instanceof ClickHouseError) return caught.code;
  if (caught instanceof Error) return /^Code: (\d+)[,.]/.exec(caught.message)?.[1];
  return undefined;
}

export function toClickHouseAppError(caught: unknown, action: string): AppError {
  if (caught instanceof AppError) return caught;
  const code = serverCode(caught);
  if (code !== undefined) {
    const retryable = RETRYABLE_SERVER_CODES.has(code);
    const message = caught instanceof Error ? caught.message : String(caught);
    return new AppError(retryable ? "unavailable" : "internal", `ClickHouse ${action} failed: ${firstLine(message)}`, {
      cause: caught,
      retryable,
      details: { clickhouseCode: code },
    });
  }
  // Anything else is the transport: refused connection, socket reset, request timeout.
  const message = caught instanceof Error ? caught.message : String(caught);
  return new AppError("unavailable", `ClickHouse ${action} failed: ${firstLine(message)}`, { cause: caught, retryable: true });
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").slice(0, 300);
}
