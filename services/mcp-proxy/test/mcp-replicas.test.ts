/**
 * Any replica serves any session, with no sticky routing: two mcp-proxy processes, and an official SDK client whose
 * requests are split between them the worst way — tools/call to one replica, its answers, notifications and the
 * GET stream to the other. Server→client requests (elicitation, sampling, roots), the client's answers,
 * cancellations, progress and unrelated notifications all reach the right place through the relay over NATS.
 * SSE events carry ids kept in Redis, so a client whose GET stream drops resumes it on the other replica with
 * Last-Event-ID and gets what it missed.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  type Progress,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import {
  createConsoleClient,
  createTestEnvironment,
  type FleetProcess,
  type InteractiveUpstream,
  startFleetProcess,
  startInteractiveUpstream,
  type TestEnvironment,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let testEnv: TestEnvironment;
let one: FleetProcess;
let two: FleetProcess;
let upstream: InteractiveUpstream;
let key: string;

beforeAll(async () => {
  [testEnv, upstream] = await Promise.all([createTestEnvironment(), startInteractiveUpstream()]);
  one = await startFleetProcess({ env: testEnv.env, services: ["key-service", "admin-api", "mcp-proxy"] });
  const admin = createConsoleClient(one.consoleUrl);
  await admin.initialize();
  const created = await admin.call("POST", "/api/mcp/servers", {
    name: "interactive",
    transport: "streamable_http",
    url: upstream.url,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "replicas" })).body.plaintext;
  two = await startFleetProcess({ env: testEnv.env, services: ["mcp-proxy"] });
}, 120_000);

afterAll(async () => {
  await two?.stop();
  await one?.stop();
  await upstream?.close();
  await testEnv?.cleanup();
});

interface Routed {
  method: string;
  replica: "one" | "two";
  what: string;
}

/**
 * A fetch for the SDK's transport that sends requests carrying a tools/call to replica one and everything else
 * (initialize, the client's answers and notifications, the GET stream, DELETE) to replica two. With `jsonCalls`,
 * the tools/call POSTs accept JSON only, so nothing can ride their response: server→client requests must take the
 * GET stream on the other replica.
 */
function splitFetch(options: { jsonCalls?: boolean } = {}) {
  const routed: Routed[] = [];
  let streamOpen = false;
  const fetchVia = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const body = typeof init?.body === "string" ? init.body : "";
    const isCall = body.includes('"method":"tools/call"');
    const replica = isCall ? one : two;
    url.host = new URL(replica.mcpUrl).host;
    const headers = new Headers(init?.headers);
    if (isCall && options.jsonCalls === true) headers.set("accept", "application/json");
    const parsed = body === "" ? null : (JSON.parse(body) as { method?: string; id?: unknown });
    const method = init?.method ?? "GET";
    routed.push({
      method,
      replica: isCall ? "one" : "two",
      what: parsed === null ? method : (parsed.method ?? `answer ${String(parsed.id)}`),
    });
    const response = await fetch(url, { ...init, headers });
    if (method === "GET" && response.ok) streamOpen = true;
    return response;
  };
  return { fetch: fetchVia, routed, streamOpen: () => streamOpen };
}

async function connectSplit(capabilities: Record<string, unknown>, options: { jsonCalls?: boolean } = {}) {
  const split = splitFetch(options);
  const client = new Client({ name: "replica-split", version: "1.0.0" }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(`${two.mcpUrl}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    fetch: split.fetch,
  });
  await client.connect(transport);
  await waitFor(() => split.streamOpen(), { what: "the GET stream on replica two", timeoutMs: 10_000 });
  return { client, transport, split };
}

function text(result: unknown): string {
  return (((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>)
    .map((c) => c.text ?? "")
    .join("\n");
}

describe("server→client traffic across replicas", () => {
  it("relays elicitation, sampling and roots answered on the other replica", async () => {
    const { client, split } = await connectSplit({ elicitation: {}, sampling: {}, roots: {} });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { name: "Ada" } }));
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: "assistant",
      model: "test-model",
      content: { type: "text", text: "hi from the client" },
    }));
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: "file:///work/project", name: "p" }] }));

    expect(text(await client.callTool({ name: "interactive__ask_user", arguments: {} }))).toBe(
      'elicitation accept: {"name":"Ada"}',
    );
    expect(text(await client.callTool({ name: "interactive__ask_llm", arguments: {} }))).toBe("sampled: hi from the client");
    expect(text(await client.callTool({ name: "interactive__list_roots", arguments: {} }))).toBe("roots: file:///work/project");

    // The calls went to replica one; the client's answers to the three requests went to replica two.
    const answers = split.routed.filter((r) => r.what.startsWith("answer "));
    expect(answers).toHaveLength(3);
    for (const answer of answers) expect(answer.replica).toBe("two");
    expect(answers.map((a) => a.what)).toEqual(expect.arrayContaining([expect.stringMatching(/^answer tw\.[a-z0-9]+\.\d+$/)]));
    expect(split.routed.filter((r) => r.what === "tools/call").every((r) => r.replica === "one")).toBe(true);
    await client.close();
  });

  it("sends a server→client request over the GET stream on the other replica when the call's answer is JSON", async () => {
    const { client, split } = await connectSplit({ elicitation: {} }, { jsonCalls: true });
    let asked = 0;
    client.setRequestHandler(ElicitRequestSchema, async () => {
      asked += 1;
      return { action: "accept", content: { name: "Grace" } };
    });
    expect(text(await client.callTool({ name: "interactive__ask_user", arguments: {} }))).toBe(
      'elicitation accept: {"name":"Grace"}',
    );
    expect(asked).toBe(1);
    expect(split.routed.find((r) => r.method === "GET")?.replica).toBe("two");
    await client.close();
  });

  it("relays a notification unrelated to any request to the GET stream on the other replica", async () => {
    const { client } = await connectSplit({});
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      changed += 1;
    });
    expect(text(await client.callTool({ name: "interactive__announce", arguments: {} }))).toBe("announced");
    await waitFor(() => changed > 0, { what: "tools/list_changed on the GET stream", timeoutMs: 10_000 });
    await client.close();
  });

  it("relays progress, and a cancellation sent to the other replica reaches the upstream call", async () => {
    const { client, split } = await connectSplit({});
    const progress: Progress[] = [];
    const controller = new AbortController();
    const call = client.callTool({ name: "interactive__wait_for_cancel", arguments: { tag: "split-1" } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        progress.push(p);
        controller.abort("the user gave up");
      },
    });
    await expect(call).rejects.toThrow();
    expect(progress.map((p) => p.progress)).toEqual([1]);
    await waitFor(() => upstream.cancelled.includes("split-1"), { what: "the upstream call to be cancelled", timeoutMs: 10_000 });
    expect(split.routed.find((r) => r.what === "notifications/cancelled")?.replica).toBe("two");
    await client.close();
  });
});

/**
 * A fetch that sends the first GET stream to replica two and reconnections to replica one, everything else as
 * splitFetch does; `drop()` breaks the open GET stream the way a network failure does.
 */
function droppableFetch() {
  const gets: Array<{ replica: "one" | "two"; lastEventId: string | null }> = [];
  let breakStream: (() => void) | null = null;
  let opened = 0;
  const fetchVia = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    const body = typeof init?.body === "string" ? init.body : "";
    const replica = method === "GET" ? (gets.length === 0 ? two : one) : body.includes('"method":"tools/call"') ? one : two;
    url.host = new URL(replica.mcpUrl).host;
    if (method !== "GET") return fetch(url, init);
    gets.push({ replica: replica === one ? "one" : "two", lastEventId: new Headers(init?.headers).get("last-event-id") });
    const response = await fetch(url, init);
    if (!response.ok || response.body === null) return response;
    opened += 1;
    const reader = response.body.getReader();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        breakStream = () => {
          controller.error(new TypeError("network connection lost"));
          void reader.cancel().catch(() => undefined);
        };
      },
      async pull(controller) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) controller.close();
        else controller.enqueue(value);
      },
    });
    return new Response(stream, { status: response.status, headers: response.headers });
  };
  return { fetch: fetchVia, gets, opened: () => opened, drop: () => breakStream?.() };
}

describe("SSE resumability", () => {
  it("resumes a dropped GET stream on the other replica with Last-Event-ID and delivers what was missed", async () => {
    const wire = droppableFetch();
    const client = new Client({ name: "resumer", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${two.mcpUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
      fetch: wire.fetch,
      reconnectionOptions: {
        initialReconnectionDelay: 1500,
        maxReconnectionDelay: 3000,
        reconnectionDelayGrowFactor: 1,
        maxRetries: 5,
      },
    });
    const seen: string[] = [];
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      seen.push("changed");
    });
    await client.connect(transport);
    await waitFor(() => wire.opened() === 1, { what: "the GET stream", timeoutMs: 10_000 });

    // A POST's SSE events carry ids a client can resume from.
    const tokens: string[] = [];
    await client.callTool({ name: "interactive__announce", arguments: {} }, undefined, {
      onresumptiontoken: (token) => tokens.push(token),
    });
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(token.startsWith(`${transport.sessionId}.`)).toBe(true);
    await waitFor(() => seen.length === 1, { what: "the first list_changed on the GET stream", timeoutMs: 10_000 });

    wire.drop();
    // While the client has no stream, the gateway keeps the message; the client reconnects 1.5 s later.
    await client.callTool({ name: "interactive__announce", arguments: {} });
    await waitFor(() => seen.length === 2, { what: "the missed list_changed after the reconnection", timeoutMs: 15_000 });
    expect(wire.gets).toHaveLength(2);
    expect(wire.gets[1]?.replica).toBe("one");
    expect(wire.gets[1]?.lastEventId).toMatch(new RegExp(`^${transport.sessionId}\\.get\\.\\d+-\\d+$`));
    await client.close();
  });

  it("refuses a Last-Event-ID of another session", async () => {
    const { client: mine, transport: ours } = await connectSplit({});
    const { client: theirs, transport: other } = await connectSplit({});
    const answer = await fetch(`${one.mcpUrl}/mcp`, {
      headers: {
        authorization: `Bearer ${key}`,
        accept: "text/event-stream",
        "mcp-session-id": ours.sessionId as string,
        "last-event-id": `${other.sessionId}.get.1-0`,
      },
    });
    expect(answer.status).toBe(400);
    await answer.body?.cancel();
    await mine.close();
    await theirs.close();
  });

  it("resumes a POST stream lost mid-call: the answer that came later arrives on the resumed stream", async () => {
    const gets: Array<string | null> = [];
    let dropped = false;
    const wire = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = new URL(String(input));
      const method = init?.method ?? "GET";
      const body = typeof init?.body === "string" ? init.body : "";
      const isCall = body.includes('"method":"tools/call"');
      url.host = new URL((isCall ? one : two).mcpUrl).host;
      if (method === "GET") gets.push(new Headers(init?.headers).get("last-event-id"));
      const response = await fetch(url, init);
      if (!isCall || response.body === null) return response;
      // Pass the first event (the progress notification, with its id), then lose the connection.
      const reader = response.body.getReader();
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (dropped) {
            controller.error(new TypeError("network connection lost"));
            void reader.cancel().catch(() => undefined);
            return;
          }
          const { value, done } = await reader.read();
          if (done) controller.close();
          else {
            controller.enqueue(value);
            dropped = true;
          }
        },
      });
      return new Response(stream, { status: response.status, headers: response.headers });
    };
    const client = new Client({ name: "post-resumer", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${two.mcpUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
      fetch: wire,
      reconnectionOptions: {
        initialReconnectionDelay: 200,
        maxReconnectionDelay: 1000,
        reconnectionDelayGrowFactor: 1,
        maxRetries: 5,
      },
    });
    await client.connect(transport);
    const progress: Progress[] = [];
    const result = await client.callTool({ name: "interactive__slow", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    expect(dropped).toBe(true);
    expect(progress.map((p) => p.progress)).toEqual([1]);
    expect(text(result)).toBe("slow done");
    // The client resumed from the progress event's id, on replica two; the answer came from replica one.
    expect(gets.some((id) => id !== null && new RegExp(`^${transport.sessionId}\\.[a-f0-9]{12}\\.0-1$`).test(id))).toBe(true);
    await client.close();
  });

  it("the stateless revision: a retry answering an upstream's question on the other replica reaches the held call", async () => {
    const routed: Array<{ replica: "one" | "two"; retry: boolean }> = [];
    const client = new ModernClient(
      { name: "stateless-split", version: "1.0.0" },
      { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    client.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: { name: "Lovelace" } }));
    await client.connect(
      new ModernTransport(new URL(`${one.mcpUrl}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
        // Retries carrying requestState go to replica two; everything else to replica one.
        fetch: async (input, init) => {
          const url = new URL(String(input));
          const retry = String(init?.body ?? "").includes('"requestState"');
          url.host = new URL((retry ? two : one).mcpUrl).host;
          if (String(init?.body ?? "").includes('"tools/call"')) routed.push({ replica: retry ? "two" : "one", retry });
          return fetch(url, init);
        },
      }),
    );
    const result = await client.callTool({ name: "interactive__ask_user", arguments: {} });
    expect(text(result)).toBe('elicitation accept: {"name":"Lovelace"}');
    expect(routed).toEqual([
      { replica: "one", retry: false },
      { replica: "two", retry: true },
    ]);
    await client.close();
  });
});
