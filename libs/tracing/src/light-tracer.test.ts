import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { context, propagation } from "@opentelemetry/api";
import { type OtlpReceiver, startOtlpReceiver } from "@thinkwatch/testkit";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { lightPipelineApplies } from "./light-config.js";
import { startTracing, type Tracing } from "./sdk.js";
import {
  contextOf,
  endSpan,
  extractTraceContext,
  injectTraceHeaders,
  linkTo,
  SpanKind,
  startSpan,
  withContext,
  withSpan,
} from "./spans.js";
import { headerMap } from "./testing.js";

type Reported = Array<{ message: string; fields: Record<string, unknown> }>;

describe("which tracer runs", () => {
  it.each([
    [{}, true],
    [{ OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" }, true],
    [{ OTEL_EXPORTER_OTLP_COMPRESSION: "gzip", OTEL_PROPAGATORS: "tracecontext,baggage" }, true],
    [{ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25" }, true],
    [{ THINKWATCH_TRACING_PIPELINE: "sdk" }, false],
    [{ OTEL_TRACES_EXPORTER: "console" }, false],
    [{ OTEL_TRACES_EXPORTER: "otlp,zipkin" }, false],
    [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" }, false],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, false],
    [{ OTEL_EXPORTER_OTLP_CERTIFICATE: "/etc/ca.pem" }, false],
    [{ OTEL_PROPAGATORS: "b3" }, false],
    [{ OTEL_TRACES_SAMPLER: "jaeger_remote" }, false],
  ])("%j → light %s", (env, expected) => {
    expect(lightPipelineApplies(env)).toBe(expected);
  });
});

/** The server span's attributes: every value type, a string longer than one length byte, and non-ASCII text. */
const SERVER_ATTRIBUTES = {
  "http.request.method": "POST",
  "http.response.status_code": 200,
  "negative.int": -42,
  ratio: 0.5,
  flag: true,
  list: ["a", "b"],
  long: "x".repeat(300),
  unicode: "naïve ✓",
};

/** Spans of every kind and field, as a gateway request makes them; returns the upstream call's propagated headers. */
function scenario(): Map<string, string> {
  // A remote parent from a client's headers, with vendor trace state.
  const remote = extractTraceContext({
    get: (name) =>
      ({
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        tracestate: "vendor=opaque",
      })[name],
  });
  const server = startSpan("light.test", "POST /v1/chat", {
    kind: SpanKind.SERVER,
    parent: remote,
    attributes: SERVER_ATTRIBUTES,
  });
  const upstream = startSpan("light.test", "POST upstream", { kind: SpanKind.CLIENT, parent: contextOf(server) });
  const sink = headerMap();
  if (upstream !== undefined) injectTraceHeaders(upstream, sink);
  const linked = startSpan("light.test", "batch", {
    kind: SpanKind.PRODUCER,
    parent: contextOf(server),
    links: [linkTo(contextOf(upstream))].filter((link) => link !== undefined),
  });
  endSpan(linked);
  endSpan(upstream, new TypeError("upstream refused"));
  const local = withSpan(server, () => startSpan("light.test", "inside"));
  endSpan(local);
  endSpan(server, undefined, { "gen_ai.usage.input_tokens": 12 });
  return sink.map;
}

describe("the light tracer exporting OTLP/protobuf", () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing | undefined;
  const reported: Reported = [];
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    return () => receiver.close();
  });
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
    receiver.spans.length = 0;
    receiver.requests.length = 0;
    reported.length = 0;
  });

  const start = async (env: Record<string, string> = {}) => {
    tracing = await startTracing({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "light-test", ...env },
      defaultServiceName: "unused",
      report: (message, fields) => reported.push({ message, fields }),
    });
  };

  it("exports every field of its spans: ids, parents, kinds, times, attributes, events, links, status, resource", async () => {
    await start({ OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=team%20a,authorization=Bearer abc" });
    const before = BigInt(Date.now()) * 1_000_000n;
    const sent = scenario();
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    await tracing?.shutdown();
    tracing = undefined;

    expect(receiver.spans).toHaveLength(4);
    const byName = new Map(receiver.spans.map((span) => [span.name, span]));
    const root = byName.get("POST /v1/chat");
    const client = byName.get("POST upstream");
    const batch = byName.get("batch");
    const inside = byName.get("inside");
    for (const span of receiver.spans) {
      expect(span.encoding).toBe("protobuf");
      expect(span.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.scope).toBe("light.test");
      expect(span.service).toBe("light-test");
      expect(span.resource).toMatchObject({ "telemetry.sdk.language": "nodejs", "process.pid": process.pid });
      expect(BigInt(span.startTimeUnixNano) >= before).toBe(true);
      expect(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano)).toBe(true);
      expect(BigInt(span.endTimeUnixNano) <= after).toBe(true);
      expect(span.traceState).toBe("vendor=opaque");
    }
    expect(new Set(receiver.spans.map((span) => span.spanId)).size).toBe(4);
    // The root's parent is the client's span, known to be remote (flags: sampled | has-is-remote | is-remote).
    expect(root).toMatchObject({
      parentSpanId: "b7ad6b7169203331",
      kind: 2,
      flags: 0x301,
      statusCode: 0,
      attributes: { ...SERVER_ATTRIBUTES, "gen_ai.usage.input_tokens": 12 },
    });
    expect(client).toMatchObject({ parentSpanId: root?.spanId, kind: 3, flags: 0x101, statusCode: 2 });
    expect(client?.statusMessage).toBe("upstream refused");
    expect(client?.events).toEqual([
      {
        name: "exception",
        timeUnixNano: expect.any(String),
        attributes: {
          "exception.type": "TypeError",
          "exception.message": "upstream refused",
          "exception.stacktrace": expect.stringContaining("upstream refused"),
        },
      },
    ]);
    expect(sent.get("traceparent")).toBe(`00-0af7651916cd43dd8448eb211c80319c-${client?.spanId}-01`);
    expect(sent.get("tracestate")).toBe("vendor=opaque");
    expect(batch).toMatchObject({ parentSpanId: root?.spanId, kind: 4 });
    expect(batch?.links).toEqual([{ traceId: client?.traceId, spanId: client?.spanId, attributes: {} }]);
    expect(inside).toMatchObject({ parentSpanId: root?.spanId, kind: 1 });
    expect(receiver.requests[0]).toMatchObject({
      "content-type": "application/x-protobuf",
      "x-tenant": "team a",
      authorization: "Bearer abc",
    });
  });

  it("writes baggage through the API's propagators when the active context has some", async () => {
    await start();
    const span = startSpan("light.test", "with baggage");
    const sink = headerMap();
    const withBaggage = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: "a" } }));
    if (span !== undefined) withContext(withBaggage, () => injectTraceHeaders(span, sink));
    endSpan(span);
    expect(sink.map.get("baggage")).toBe("tenant=a");
    expect(sink.map.get("traceparent")).toBe(`00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`);
  });

  it("sends full batches as they fill, each scope's spans under their scope", async () => {
    await start({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "3" });
    for (let i = 0; i < 7; i++) endSpan(startSpan(i % 2 === 0 ? "scope.even" : "scope.odd", `span ${i}`));
    await tracing?.shutdown();
    tracing = undefined;
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.spans.map((span) => [span.scope, span.name]).sort()).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((i) => [i % 2 === 0 ? "scope.even" : "scope.odd", `span ${i}`]).sort(),
    );
  });

  it("gzips the export when OTEL_EXPORTER_OTLP_COMPRESSION=gzip", async () => {
    await start({ OTEL_EXPORTER_OTLP_COMPRESSION: "gzip" });
    endSpan(startSpan("light.test", "zipped"));
    await tracing?.shutdown();
    tracing = undefined;
    expect(receiver.spans.map((span) => span.name)).toEqual(["zipped"]);
    expect(receiver.requests[0]?.["content-encoding"]).toBe("gzip");
  });

  it("samples as OTEL_TRACES_SAMPLER says: unsampled spans propagate flags 00 and are not exported", async () => {
    await start({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0" });
    const span = startSpan("light.test", "dropped by the sampler");
    const sink = headerMap();
    if (span !== undefined) injectTraceHeaders(span, sink);
    expect(sink.map.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    // A sampled remote parent is followed by the default parent-based sampler.
    endSpan(span);
    await tracing?.shutdown();
    await start({ OTEL_TRACES_SAMPLER: "parentbased_always_off" });
    const child = startSpan("light.test", "child of a sampled remote", {
      parent: extractTraceContext({
        get: (name) => (name === "traceparent" ? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" : undefined),
      }),
    });
    endSpan(child);
    endSpan(startSpan("light.test", "root, not sampled"));
    await tracing?.shutdown();
    tracing = undefined;
    expect(receiver.spans.map((s) => s.name)).toEqual(["child of a sampled remote"]);
  });

  it("limits attributes and drops spans past the queue bound, reporting how many", async () => {
    await start({
      OTEL_BSP_MAX_QUEUE_SIZE: "5",
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: "2",
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: "4",
    });
    for (let i = 0; i < 10; i++) endSpan(startSpan("light.test", `span ${i}`, { attributes: { a: "abcdefgh", b: 2, c: 3 } }));
    await tracing?.shutdown();
    tracing = undefined;
    expect(receiver.spans.map((s) => s.name)).toEqual(["span 0", "span 1", "span 2", "span 3", "span 4"]);
    expect(receiver.spans[0]).toMatchObject({ attributes: { a: "abcd", b: 2 }, droppedAttributesCount: 1 });
    expect(reported).toEqual([
      { message: "trace spans dropped: the export queue was full", fields: { dropped: 5, maxQueueSize: 5 } },
    ]);
  });

  it("retries when the connection to the collector is lost", async () => {
    let connections = 0;
    const dropsFirst = createNetServer((socket) => {
      connections++;
      if (connections === 1) {
        socket.destroy();
        return;
      }
      socket.on("data", () => socket.end("HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"));
    });
    await new Promise<void>((resolve) => dropsFirst.listen(0, "127.0.0.1", resolve));
    const { port } = dropsFirst.address() as { port: number };
    try {
      await start({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces` });
      endSpan(startSpan("light.test", "delivered after a reset"));
      await tracing?.shutdown();
      tracing = undefined;
      expect(connections).toBe(2);
      expect(reported).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => dropsFirst.close(() => resolve()));
    }
  });

  it("retries a collector answering 503 and reports an export that cannot be delivered", async () => {
    let attempts = 0;
    const flaky = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        attempts++;
        res.writeHead(attempts === 1 ? 503 : attempts === 2 ? 200 : 400).end("nope");
      });
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    const address = flaky.address() as { port: number };
    try {
      await start({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${address.port}/v1/traces`,
        OTEL_BSP_SCHEDULE_DELAY: "10",
      });
      endSpan(startSpan("light.test", "delivered on the second attempt"));
      await tracing?.shutdown();
      expect(attempts).toBe(2);
      expect(reported).toEqual([]);
      await start({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${address.port}/v1/traces` });
      endSpan(startSpan("light.test", "refused with 400"));
      await tracing?.shutdown();
      tracing = undefined;
      expect(attempts).toBe(3);
      expect(reported).toEqual([
        {
          message: "trace export failed; its spans are lost",
          fields: { spans: 1, error: "Error: the collector answered 400: nope" },
        },
      ]);
    } finally {
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });

  it("exports what the SDK's own OTLP/protobuf exporter exports for the same spans", async () => {
    const shape = () =>
      receiver.spans
        .map((span) => {
          const parent = receiver.spans.find((other) => other.spanId === span.parentSpanId)?.name ?? span.parentSpanId;
          return {
            name: span.name,
            parent,
            kind: span.kind,
            flags: span.flags,
            traceId: span.traceId,
            traceState: span.traceState,
            scope: span.scope,
            service: span.service,
            attributes: span.attributes,
            events: span.events.map((event) => ({
              ...event,
              timeUnixNano: "",
              attributes: { ...event.attributes, "exception.stacktrace": "" },
            })),
            links: span.links.map((link) => receiver.spans.find((other) => other.spanId === link.spanId)?.name),
            status: [span.statusCode, span.statusMessage],
            resource: Object.keys(span.resource).sort(),
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    const headersOf = (sent: Map<string, string>) =>
      [...sent].map(([name, value]) => [name, value.replace(/-[0-9a-f]{16}-/, "-<span>-")]);
    await start();
    const lightHeaders = headersOf(scenario());
    await tracing?.shutdown();
    const light = shape();
    receiver.spans.length = 0;
    // The SDK reads its exporter's settings from the process environment itself.
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url);
    vi.stubEnv("OTEL_SERVICE_NAME", "light-test");
    try {
      await start({ THINKWATCH_TRACING_PIPELINE: "sdk" });
      expect(headersOf(scenario())).toEqual(lightHeaders);
      await tracing?.shutdown();
      tracing = undefined;
    } finally {
      vi.unstubAllEnvs();
    }
    expect(receiver.spans.every((span) => span.encoding === "protobuf")).toBe(true);
    expect(light).toHaveLength(4);
    expect(light).toEqual(shape());
  });
});
