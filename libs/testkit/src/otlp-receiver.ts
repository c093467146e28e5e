/**
 * A minimal OTLP/HTTP trace receiver for tests, taking both encodings (JSON, and protobuf, gzipped or not): fleet
 * processes export their spans here, and a test reads them back flattened with the exporting process's
 * `service.name` and the instrumentation scope that made each span.
 */
import { createServer, type Server } from "node:http";
import { gunzipSync } from "node:zlib";
import { decodeOtlpTraces } from "./otlp-protobuf.js";

export interface ReceivedEvent {
  name: string;
  timeUnixNano: string;
  attributes: Record<string, unknown>;
}

export interface ReceivedLink {
  traceId: string;
  spanId: string;
  attributes: Record<string, unknown>;
}

export interface ReceivedSpan {
  service: string;
  scope: string;
  /** The instrumentation scope's version ("" without one). */
  scopeVersion: string;
  /** Every attribute of the exporting process's resource. */
  resource: Record<string, unknown>;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  /** OTLP kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, unknown>;
  droppedAttributesCount: number;
  events: ReceivedEvent[];
  links: ReceivedLink[];
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  /** OTLP span flags: W3C trace flags in the low byte, 0x100 "parent remoteness known", 0x200 "parent remote". */
  flags: number;
  /** How it arrived: "json" or "protobuf". */
  encoding: "json" | "protobuf";
}

export interface OtlpReceiver {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  url: string;
  spans: ReceivedSpan[];
  /** The request headers of every export received (lower-case names). */
  requests: Array<Record<string, string | string[] | undefined>>;
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind?: number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpAttribute[];
  droppedAttributesCount?: number;
  events?: Array<{ name?: string; timeUnixNano?: string | number; attributes?: OtlpAttribute[] }>;
  links?: Array<{ traceId: string; spanId: string; attributes?: OtlpAttribute[] }>;
  status?: { code?: number; message?: string };
  flags?: number;
}
interface OtlpExport {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{ scope?: { name?: string; version?: string }; spans?: OtlpSpan[] }>;
  }>;
}

function plainValue(value: OtlpValue): unknown {
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(plainValue);
  return (
    value.stringValue ??
    (value.intValue === undefined ? undefined : Number(value.intValue)) ??
    value.boolValue ??
    value.doubleValue
  );
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) out[key] = plainValue(value);
  return out;
}

export interface OtlpReceiverOptions {
  /** false: a sink for benchmarks that answers 200 to any encoding and keeps nothing. */
  keep?: boolean;
}

function parse(body: Buffer, contentType: string, contentEncoding: string): [OtlpExport, "json" | "protobuf"] {
  const bytes = contentEncoding === "gzip" ? gunzipSync(body) : body;
  if (contentType.includes("protobuf")) return [decodeOtlpTraces(bytes) as OtlpExport, "protobuf"];
  return [JSON.parse(bytes.toString("utf8")) as OtlpExport, "json"];
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: OtlpReceiver["requests"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      if (options.keep !== false) chunks.push(chunk);
    });
    req.on("end", () => {
      if (options.keep === false) {
        res.writeHead(200).end();
        return;
      }
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      let body: OtlpExport;
      let encoding: "json" | "protobuf";
      try {
        [body, encoding] = parse(
          Buffer.concat(chunks),
          req.headers["content-type"] ?? "",
          String(req.headers["content-encoding"] ?? ""),
        );
      } catch (error) {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) }));
        return;
      }
      requests.push({ ...req.headers });
      for (const resourceSpans of body.resourceSpans ?? []) {
        const resource = attributesOf(resourceSpans.resource?.attributes);
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            spans.push({
              service: String(resource["service.name"] ?? ""),
              scope: scopeSpans.scope?.name ?? "",
              scopeVersion: scopeSpans.scope?.version ?? "",
              resource,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? "",
              traceState: span.traceState ?? "",
              name: span.name,
              kind: span.kind ?? 0,
              startTimeUnixNano: String(span.startTimeUnixNano ?? "0"),
              endTimeUnixNano: String(span.endTimeUnixNano ?? "0"),
              attributes: attributesOf(span.attributes),
              droppedAttributesCount: span.droppedAttributesCount ?? 0,
              events: (span.events ?? []).map((event) => ({
                name: event.name ?? "",
                timeUnixNano: String(event.timeUnixNano ?? "0"),
                attributes: attributesOf(event.attributes),
              })),
              links: (span.links ?? []).map((link) => ({
                traceId: link.traceId,
                spanId: link.spanId,
                attributes: attributesOf(link.attributes),
              })),
              statusCode: span.status?.code ?? 0,
              statusMessage: span.status?.message ?? "",
              flags: span.flags ?? 0,
              encoding,
            });
          }
        }
      }
      res.writeHead(200, { "content-type": encoding === "json" ? "application/json" : "application/x-protobuf" });
      res.end(encoding === "json" ? "{}" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("OTLP receiver has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    spans,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
