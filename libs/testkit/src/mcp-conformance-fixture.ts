/**
 * An upstream MCP server with exactly what the official conformance suite's server scenarios exercise (tools by the
 * names the scenarios call, resources, a template, prompts, completion, logging, progress, sampling, elicitation),
 * written with the MCP SDK and served over Streamable HTTP with sessions. Put behind the gateway's `/mcp/{server}`,
 * the suite then measures the gateway's own conformance.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server as HttpServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

/** A 1×1 red PNG and a 1-sample WAV: the smallest valid media for image and audio content. */
const RED_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const TINY_WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQIAAAAAAA==";

const NO_ARGS = { type: "object" as const, properties: {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const TOOLS = [
  { name: "test_simple_text", description: "Returns simple text", inputSchema: NO_ARGS },
  { name: "test_image_content", description: "Returns an image", inputSchema: NO_ARGS },
  { name: "test_audio_content", description: "Returns audio", inputSchema: NO_ARGS },
  { name: "test_embedded_resource", description: "Returns an embedded resource", inputSchema: NO_ARGS },
  { name: "test_multiple_content_types", description: "Returns text, image and a resource", inputSchema: NO_ARGS },
  { name: "test_tool_with_logging", description: "Logs while it runs", inputSchema: NO_ARGS },
  { name: "test_tool_with_progress", description: "Reports progress", inputSchema: NO_ARGS },
  { name: "test_error_handling", description: "Always fails", inputSchema: NO_ARGS },
  {
    name: "test_sampling",
    description: "Asks the client's LLM",
    inputSchema: { type: "object" as const, properties: { prompt: { type: "string" } }, required: ["prompt"] },
  },
  {
    name: "test_elicitation",
    description: "Asks the user",
    inputSchema: { type: "object" as const, properties: { message: { type: "string" } }, required: ["message"] },
  },
  { name: "test_elicitation_sep1034_defaults", description: "Elicitation with defaults", inputSchema: NO_ARGS },
  { name: "test_elicitation_sep1330_enums", description: "Elicitation with every enum form", inputSchema: NO_ARGS },
  {
    name: "json_schema_2020_12_tool",
    description: "Tool with JSON Schema 2020-12 features",
    inputSchema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object" as const,
      $defs: { address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
      properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
      additionalProperties: false,
    },
  },
];

function createFixtureServer(): Server {
  const server = new Server(
    { name: "conformance-fixture", version: "1.0.0" },
    {
      capabilities: {
        tools: {},
        resources: { subscribe: true },
        prompts: {},
        completions: {},
        logging: {},
      },
    },
  );
  const log = (data: string) => server.sendLoggingMessage({ level: "info", data });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    switch (request.params.name) {
      case "test_simple_text":
        return { content: [{ type: "text", text: "This is a simple text response for testing." }] };
      case "test_image_content":
        return { content: [{ type: "image", data: RED_PIXEL_PNG, mimeType: "image/png" }] };
      case "test_audio_content":
        return { content: [{ type: "audio", data: TINY_WAV, mimeType: "audio/wav" }] };
      case "test_embedded_resource":
        return {
          content: [
            {
              type: "resource",
              resource: {
                uri: "test://embedded-resource",
                mimeType: "text/plain",
                text: "This is an embedded resource content.",
              },
            },
          ],
        };
      case "test_multiple_content_types":
        return {
          content: [
            { type: "text", text: "Multiple content types test:" },
            { type: "image", data: RED_PIXEL_PNG, mimeType: "image/png" },
            {
              type: "resource",
              resource: {
                uri: "test://mixed-content-resource",
                mimeType: "application/json",
                text: '{"test":"data","value":123}',
              },
            },
          ],
        };
      case "test_tool_with_logging":
        await log("Tool execution started");
        await sleep(50);
        await log("Tool processing data");
        await sleep(50);
        await log("Tool execution completed");
        return { content: [{ type: "text", text: "Tool with logging executed successfully" }] };
      case "test_tool_with_progress": {
        const token = request.params._meta?.progressToken;
        for (const progress of [0, 50, 100]) {
          if (token !== undefined) {
            await extra.sendNotification({
              method: "notifications/progress",
              params: { progressToken: token, progress, total: 100 },
            });
          }
          if (progress < 100) await sleep(50);
        }
        return { content: [{ type: "text", text: "Tool with progress executed successfully" }] };
      }
      case "test_error_handling":
        return { isError: true, content: [{ type: "text", text: "This tool intentionally returns an error for testing" }] };
      case "test_sampling": {
        const result = await extra.sendRequest(
          {
            method: "sampling/createMessage",
            params: { messages: [{ role: "user", content: { type: "text", text: String(args.prompt ?? "") } }], maxTokens: 100 },
          },
          CreateMessageResultSchema,
        );
        const text = result.content.type === "text" ? result.content.text : JSON.stringify(result.content);
        return { content: [{ type: "text", text: `LLM response: ${text}` }] };
      }
      case "test_elicitation": {
        const result = await extra.sendRequest(
          {
            method: "elicitation/create",
            params: {
              message: String(args.message ?? ""),
              requestedSchema: {
                type: "object",
                properties: {
                  username: { type: "string", description: "User's response" },
                  email: { type: "string", description: "User's email address" },
                },
                required: ["username", "email"],
              },
            },
          },
          ElicitResultSchema,
        );
        return {
          content: [
            { type: "text", text: `User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}` },
          ],
        };
      }
      case "test_elicitation_sep1034_defaults": {
        const result = await extra.sendRequest(
          {
            method: "elicitation/create",
            params: {
              message: "Please review the defaults",
              requestedSchema: {
                type: "object",
                properties: {
                  name: { type: "string", default: "John Doe" },
                  age: { type: "integer", default: 30 },
                  score: { type: "number", default: 95.5 },
                  status: { type: "string", enum: ["active", "inactive", "pending"], default: "active" },
                  verified: { type: "boolean", default: true },
                },
              },
            },
          },
          ElicitResultSchema,
        );
        return {
          content: [
            {
              type: "text",
              text: `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`,
            },
          ],
        };
      }
      case "test_elicitation_sep1330_enums": {
        const result = await extra.sendRequest(
          {
            method: "elicitation/create",
            params: {
              message: "Please choose",
              requestedSchema: {
                type: "object",
                properties: {
                  untitledSingle: { type: "string", enum: ["option1", "option2", "option3"] },
                  titledSingle: {
                    type: "string",
                    oneOf: [
                      { const: "value1", title: "First Option" },
                      { const: "value2", title: "Second Option" },
                      { const: "value3", title: "Third Option" },
                    ],
                  },
                  legacyEnum: {
                    type: "string",
                    enum: ["opt1", "opt2", "opt3"],
                    enumNames: ["Option One", "Option Two", "Option Three"],
                  },
                  untitledMulti: { type: "array", items: { type: "string", enum: ["option1", "option2", "option3"] } },
                  titledMulti: {
                    type: "array",
                    items: {
                      anyOf: [
                        { const: "value1", title: "First Choice" },
                        { const: "value2", title: "Second Choice" },
                        { const: "value3", title: "Third Choice" },
                      ],
                    },
                  },
                },
              },
            },
          } as never,
          ElicitResultSchema,
        );
        return {
          content: [
            {
              type: "text",
              text: `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`,
            },
          ],
        };
      }
      case "json_schema_2020_12_tool":
        return { content: [{ type: "text", text: `Received: ${JSON.stringify(args)}` }] };
      default:
        throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: [
      { uri: "test://static-text", name: "Static text", description: "A static text resource", mimeType: "text/plain" },
      { uri: "test://static-binary", name: "Static binary", description: "A static binary resource", mimeType: "image/png" },
      { uri: "test://watched-resource", name: "Watched", description: "A resource to subscribe to", mimeType: "text/plain" },
    ],
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [
      { uriTemplate: "test://template/{id}/data", name: "Template", description: "Data by id", mimeType: "application/json" },
    ],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const uri = request.params.uri;
    if (uri === "test://static-text") {
      return { contents: [{ uri, mimeType: "text/plain", text: "This is the content of the static text resource." }] };
    }
    if (uri === "test://static-binary") return { contents: [{ uri, mimeType: "image/png", blob: RED_PIXEL_PNG }] };
    if (uri === "test://watched-resource") return { contents: [{ uri, mimeType: "text/plain", text: "watched" }] };
    const templated = /^test:\/\/template\/([^/]+)\/data$/.exec(uri);
    if (templated !== null) {
      const id = templated[1] as string;
      return {
        contents: [
          { uri, mimeType: "application/json", text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) },
        ],
      };
    }
    throw new McpError(ErrorCode.InvalidParams, `Resource not found: ${uri}`);
  });
  server.setRequestHandler(SubscribeRequestSchema, async () => ({}));
  server.setRequestHandler(UnsubscribeRequestSchema, async () => ({}));

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: [
      { name: "test_simple_prompt", description: "A simple prompt" },
      {
        name: "test_prompt_with_arguments",
        description: "A prompt with arguments",
        arguments: [
          { name: "arg1", description: "First test argument", required: true },
          { name: "arg2", description: "Second test argument", required: true },
        ],
      },
      {
        name: "test_prompt_with_embedded_resource",
        description: "A prompt with an embedded resource",
        arguments: [{ name: "resourceUri", description: "URI of the resource to embed", required: true }],
      },
      { name: "test_prompt_with_image", description: "A prompt with an image" },
    ],
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const args = request.params.arguments ?? {};
    switch (request.params.name) {
      case "test_simple_prompt":
        return { messages: [{ role: "user", content: { type: "text", text: "This is a simple prompt for testing." } }] };
      case "test_prompt_with_arguments":
        return {
          messages: [
            { role: "user", content: { type: "text", text: `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'` } },
          ],
        };
      case "test_prompt_with_embedded_resource":
        return {
          messages: [
            {
              role: "user",
              content: {
                type: "resource",
                resource: {
                  uri: String(args.resourceUri),
                  mimeType: "text/plain",
                  text: "Embedded resource content for testing.",
                },
              },
            },
            { role: "user", content: { type: "text", text: "Please process the embedded resource above." } },
          ],
        };
      case "test_prompt_with_image":
        return {
          messages: [
            { role: "user", content: { type: "image", data: RED_PIXEL_PNG, mimeType: "image/png" } },
            { role: "user", content: { type: "text", text: "Please analyze the image above." } },
          ],
        };
      default:
        throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    }
  });
  server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const value = request.params.argument.value;
    const values = ["paris", "park", "party"].filter((v) => v.startsWith(value));
    return { completion: { values, total: values.length, hasMore: false } };
  });
  server.setRequestHandler(SetLevelRequestSchema, async () => ({}));
  return server;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}

export interface ConformanceFixture {
  url: string;
  close(): Promise<void>;
}

export async function startConformanceFixture(): Promise<ConformanceFixture> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http: HttpServer = createServer((request, response) => {
    void (async () => {
      const id = request.headers["mcp-session-id"];
      let transport = typeof id === "string" ? sessions.get(id) : undefined;
      const body = request.method === "POST" ? await readBody(request) : undefined;
      if (transport === undefined) {
        if (request.method !== "POST" || (body as { method?: unknown } | undefined)?.method !== "initialize") {
          response
            .writeHead(404, { "content-type": "application/json" })
            .end('{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Session not found"}}');
          return;
        }
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
        });
        created.onclose = () => {
          if (created.sessionId !== undefined) sessions.delete(created.sessionId);
        };
        await createFixtureServer().connect(created);
        transport = created;
      }
      await transport.handleRequest(request, response, body);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      for (const transport of sessions.values()) await transport.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
