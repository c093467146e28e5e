/**
 * RFC 5424 syslog messages from audit events: header fields within their character sets and lengths, the event's
 * key facts as structured data (PARAM-VALUE escaped per section 6.3.3), and the whole event as a UTF-8 JSON MSG
 * (with the BOM the RFC asks for). Values are sanitized before they get here.
 */
import type { ForwardedEvent } from "../channels/channel-sink.js";

/** Private enterprise number reserved for documentation (RFC 5612); SD-ID `thinkwatch@32473`. */
export const SD_ID = "thinkwatch@32473";
const BOM = "\ufeff";

export interface SyslogHeader {
  facility: number;
  hostname: string;
  appName: string;
  procId: string;
}

/** PRINTUSASCII (33-126) only, at most `max` characters; "-" (NILVALUE) when nothing is left. */
function printable(value: string, max: number): string {
  const kept = value.replace(/[^!-~]/g, "").slice(0, max);
  return kept === "" ? "-" : kept;
}

/** PARAM-VALUE escaping: `"`, `\` and `]` get a backslash (RFC 5424 6.3.3). */
export function escapeParamValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** SD-NAME: PRINTUSASCII except `=`, space, `]`, `"`; at most 32 characters. */
function sdName(name: string): string {
  return printable(name.replace(/[= \]"]/g, "_"), 32);
}

function severityOf(event: ForwardedEvent): number {
  const p = event.payload;
  if (typeof p.statusCode === "number") return p.statusCode >= 500 ? 3 : p.statusCode >= 400 ? 4 : 6;
  if (p.outcome === "failure" || p.outcome === "denied" || p.status === "error" || p.status === "denied") return 4;
  return 6;
}

/** The structured-data parameters: identifiers and the few facts a SIEM filters on. */
export function structuredParams(event: ForwardedEvent): Array<[string, string]> {
  const p = event.payload;
  const params: Array<[string, string]> = [
    ["eventId", event.eventId],
    ["type", event.type],
    ["kind", event.kind],
  ];
  const add = (name: string, value: unknown) => {
    if (typeof value === "string" && value !== "") params.push([name, value.slice(0, 1024)]);
    else if (typeof value === "number" || typeof value === "boolean") params.push([name, String(value)]);
  };
  add("userId", p.userId);
  add("apiKeyId", p.apiKeyId);
  add("model", p.model);
  add("statusCode", p.statusCode);
  add("toolName", p.toolName);
  add("action", p.action);
  add("outcome", p.outcome);
  const actor = p.actor as { id?: unknown; name?: unknown } | undefined;
  if (actor !== null && typeof actor === "object") {
    add("actorId", actor.id);
    add("actorName", actor.name);
  }
  add("traceId", p.traceId);
  return params;
}

export function formatRfc5424(event: ForwardedEvent, header: SyslogHeader, now = Date.now()): string {
  const pri = header.facility * 8 + severityOf(event);
  const occurred = typeof event.payload.occurredAt === "number" ? event.payload.occurredAt : now;
  const sd = `[${SD_ID} ${structuredParams(event)
    .map(([name, value]) => `${sdName(name)}="${escapeParamValue(value)}"`)
    .join(" ")}]`;
  return [
    `<${pri}>1`,
    new Date(occurred).toISOString(),
    printable(header.hostname, 255),
    printable(header.appName, 48),
    printable(header.procId, 128),
    printable(event.type, 32),
    sd,
    `${BOM}${JSON.stringify({ type: event.type, eventId: event.eventId, event: event.payload })}`,
  ].join(" ");
}
