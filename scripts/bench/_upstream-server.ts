/**
 * The benchmarks' upstream, a process of its own: an OpenAI-shaped Chat Completions server that answers with fixed
 * bytes (no JSON parse of the request, so its cost stays flat whatever the lane sends). Unary answers carry usage;
 * streams send `--chunks` content deltas `--gap-ms` apart, then a usage chunk and `[DONE]`.
 * Prints `{"port":N}` on stdout when listening.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { chunks: { type: "string", default: "10" }, "gap-ms": { type: "string", default: "1" } },
});
const chunks = Number(values.chunks);
const gapMs = Number(values["gap-ms"]);

const UNARY = Buffer.from(
  JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content: "echo: benchmark answer" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  }),
);
const chunk = (delta: Record<string, unknown>, finish: string | null) =>
  `data: ${JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "gpt-4o-mini",
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
const FIRST = chunk({ role: "assistant", content: "echo" }, null);
const MIDDLE = chunk({ content: " tok" }, null);
const LAST = `${chunk({}, "stop")}data: ${JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [],
  usage: { prompt_tokens: 12, completion_tokens: chunks, total_tokens: 12 + chunks },
})}\n\ndata: [DONE]\n\n`;
const STREAM_TRUE = Buffer.from('"stream":true');
const MODELS = Buffer.from(JSON.stringify({ object: "list", data: [{ id: "gpt-4o-mini", object: "model", owned_by: "bench" }] }));

const server = createServer((req, res) => {
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "application/json", "content-length": MODELS.length });
    res.end(MODELS);
    return;
  }
  const parts: Buffer[] = [];
  req.on("data", (part: Buffer) => parts.push(part));
  req.on("end", () => {
    // Every client in the benchmarks (and every gateway) writes compact JSON: a byte search is enough.
    const stream = Buffer.concat(parts).includes(STREAM_TRUE);
    if (!stream) {
      res.writeHead(200, { "content-type": "application/json", "content-length": UNARY.length });
      res.end(UNARY);
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(FIRST);
    let sent = 1;
    const next = () => {
      if (res.destroyed) return;
      if (sent >= chunks) {
        res.end(LAST);
        return;
      }
      res.write(MIDDLE);
      sent += 1;
      setTimeout(next, gapMs);
    };
    setTimeout(next, gapMs);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address !== null && typeof address === "object") console.log(JSON.stringify({ port: address.port }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
