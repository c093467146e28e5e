/** A connection URL with its password replaced, safe to print in a startup error. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password !== "") url.password = "***";
    return url.toString();
  } catch {
    return "(unparseable URL)";
  }
}
