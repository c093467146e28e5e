/** Server-sent-event framing for the fakes' streams. */

/** `data: <json>` — OpenAI chat completions; Gemini (which ends events with CRLF CRLF) passes `"\r\n\r\n"`. */
export function sseData(payload: unknown, terminator = "\n\n"): string {
  return `data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}${terminator}`;
}

/** `event: <name>` + `data: <json>` — Anthropic messages and the OpenAI Responses API. */
export function sseEvent(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}
