/** Dates as the console shows them: the viewer's locale and time zone, to the minute. */

const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Epoch milliseconds or an ISO string; "—" for none. */
export function formatTime(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : FORMAT.format(date);
}
