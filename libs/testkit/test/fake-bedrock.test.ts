import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  ThrottlingException,
  type Tool,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { signAwsRequest } from "@thinkwatch/providers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { countFakeTokens, type FakeUpstream, IMAGE_TOKENS, startFakeUpstream } from "../src/fake-upstreams/index.js";
import { PNG_BASE64, PNG_BYTES } from "./support/sample-image.js";

const MODEL_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const TOOLS: Tool[] = [
  {
    toolSpec: {
      name: "get_weather",
      description: "Weather for a city",
      inputSchema: { json: { type: "object", properties: { city: { type: "string" } } } },
    },
  },
  { toolSpec: { name: "get_time", inputSchema: { json: { type: "object", properties: { tz: { type: "string" } } } } } },
];
const TWO_TOOLS_PROMPT = 'use tool get_weather with {"city":"Paris"} and use tool get_time with {"tz":"CET"}';

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

describe("Bedrock fake through the official @aws-sdk/client-bedrock-runtime", () => {
  let fake: FakeUpstream;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    fake = await startFakeUpstream("bedrock");
    // The SDK's default handler speaks HTTP/2 (h2c on an http endpoint); the fake serves both.
    client = new BedrockRuntimeClient({
      region: fake.region,
      endpoint: fake.baseUrl,
      credentials: fake.awsCredentials,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it("answers Converse with the echo reply, usage and metrics", async () => {
    const output = await client.send(
      new ConverseCommand({
        modelId: MODEL_ID,
        system: [{ text: "Be brief." }],
        messages: [{ role: "user", content: [{ text: "Hello Bedrock" }] }],
      }),
    );
    const input = countFakeTokens("Be brief.") + countFakeTokens("Hello Bedrock");
    const outputTokens = countFakeTokens("echo: Hello Bedrock");
    expect({ output: output.output, stopReason: output.stopReason, usage: output.usage, metrics: output.metrics }).toEqual({
      output: { message: { role: "assistant", content: [{ text: "echo: Hello Bedrock" }] } },
      stopReason: "end_turn",
      usage: { inputTokens: input, outputTokens, totalTokens: input + outputTokens },
      metrics: { latencyMs: 42 },
    });
    expect(output.$metadata.httpStatusCode).toBe(200);
    expect(fake.requests[0]).toMatchObject({
      method: "POST",
      path: "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse",
      httpVersion: "2.0",
    });
  });

  it("receives an HTTP/1.1 signature that signAwsRequest reproduces byte for byte", async () => {
    // Over HTTP/1.1 (what the gateway uses) the SDK signs host; over HTTP/2 it signs :authority instead.
    const http1 = new BedrockRuntimeClient({
      region: fake.region,
      endpoint: fake.baseUrl,
      credentials: fake.awsCredentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
    await http1.send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "sign me" }] }] }));
    http1.destroy();
    const recorded = fake.requests[0];
    expect(recorded?.httpVersion).toBe("1.1");
    if (recorded === undefined) throw new Error("no request recorded");
    const signedNames = /SignedHeaders=([^,]+)/.exec(recorded.headers.authorization ?? "")?.[1]?.split(";") ?? [];
    const amzDate = recorded.headers["x-amz-date"] ?? "";
    const headers = Object.fromEntries(
      signedNames.filter((n) => n !== "host" && n !== "x-amz-date").map((n) => [n, recorded.headers[n] ?? ""]),
    );
    const ours = signAwsRequest({
      method: "POST",
      url: `${fake.url}${recorded.path}`,
      headers,
      body: recorded.rawBody,
      region: fake.region,
      service: "bedrock",
      credentials: fake.awsCredentials,
      now: new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`,
      ),
    });
    expect(ours.authorization).toBe(recorded.headers.authorization);
    expect(signedNames).toContain("host");
  });

  it("streams ConverseStream events: text in several deltas, then messageStop and metadata", async () => {
    const response = await client.send(
      new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "Stream it please" }] }] }),
    );
    const events = await collect(response.stream);
    const deltas = events.flatMap((e) =>
      e.contentBlockDelta?.delta?.text === undefined ? [] : [e.contentBlockDelta.delta.text],
    );
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join("")).toBe("echo: Stream it please");
    expect(events[0]).toEqual({ messageStart: { role: "assistant" } });
    expect(events.slice(-3)).toEqual([
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: "end_turn" } },
      {
        metadata: {
          usage: {
            inputTokens: countFakeTokens("Stream it please"),
            outputTokens: countFakeTokens("echo: Stream it please"),
            totalTokens: countFakeTokens("Stream it please") + countFakeTokens("echo: Stream it please"),
          },
          metrics: { latencyMs: 42 },
        },
      },
    ]);
    expect(fake.requests[0]?.path).toBe("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream");
  });

  it("uses two tools, as toolUse blocks in Converse and as contentBlockStart + input fragments in ConverseStream", async () => {
    const input: ConverseCommandInput = {
      modelId: MODEL_ID,
      toolConfig: { tools: TOOLS },
      messages: [{ role: "user", content: [{ text: TWO_TOOLS_PROMPT }] }],
    };
    const whole = await client.send(new ConverseCommand(input));
    expect(whole.stopReason).toBe("tool_use");
    expect(whole.output?.message?.content).toEqual([
      { toolUse: { toolUseId: expect.stringMatching(/^tooluse_/), name: "get_weather", input: { city: "Paris" } } },
      { toolUse: { toolUseId: expect.stringMatching(/^tooluse_/), name: "get_time", input: { tz: "CET" } } },
    ]);

    const events = await collect((await client.send(new ConverseStreamCommand(input))).stream);
    const starts = events.flatMap((e) => (e.contentBlockStart === undefined ? [] : [e.contentBlockStart]));
    expect(starts).toEqual([
      { contentBlockIndex: 0, start: { toolUse: { toolUseId: expect.stringMatching(/^tooluse_/), name: "get_weather" } } },
      { contentBlockIndex: 1, start: { toolUse: { toolUseId: expect.stringMatching(/^tooluse_/), name: "get_time" } } },
    ]);
    const inputs = [0, 1].map((index) =>
      events.flatMap((e) =>
        e.contentBlockDelta?.contentBlockIndex === index ? [e.contentBlockDelta.delta?.toolUse?.input ?? ""] : [],
      ),
    );
    expect(inputs.map((fragments) => fragments.length >= 3)).toEqual([true, true]);
    expect(inputs.map((fragments) => JSON.parse(fragments.join("")))).toEqual([{ city: "Paris" }, { tz: "CET" }]);
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe("tool_use");
  });

  it("answers tool results and describes image bytes", async () => {
    const afterTools = await client.send(
      new ConverseCommand({
        modelId: MODEL_ID,
        toolConfig: { tools: TOOLS },
        messages: [
          { role: "user", content: [{ text: TWO_TOOLS_PROMPT }] },
          {
            role: "assistant",
            content: [{ toolUse: { toolUseId: "tooluse_a", name: "get_weather", input: { city: "Paris" } } }],
          },
          {
            role: "user",
            content: [{ toolResult: { toolUseId: "tooluse_a", content: [{ text: "sunny" }, { json: { temp: 21 } }] } }],
          },
        ],
      }),
    );
    expect(afterTools.output?.message?.content).toEqual([{ text: 'tool get_weather returned: sunny\n{"temp":21}' }]);

    const withImage = await client.send(
      new ConverseCommand({
        modelId: MODEL_ID,
        messages: [
          {
            role: "user",
            content: [{ text: "Look" }, { image: { format: "png", source: { bytes: Buffer.from(PNG_BASE64, "base64") } } }],
          },
        ],
      }),
    );
    expect(withImage.output?.message?.content).toEqual([{ text: `echo: Look\nsaw image: image/png, ${PNG_BYTES} bytes` }]);
    expect(withImage.usage?.inputTokens).toBe(countFakeTokens("Look") + IMAGE_TOKENS);
  });

  it("streams reasoning text and its signature when thinking is enabled, and reports scripted cache tokens", async () => {
    fake.script({ usage: { cachedInputTokens: 3 } });
    const events = await collect(
      (
        await client.send(
          new ConverseStreamCommand({
            modelId: MODEL_ID,
            additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
            messages: [{ role: "user", content: [{ text: "Reason about this" }] }],
          }),
        )
      ).stream,
    );
    const reasoning = events.flatMap((e) =>
      e.contentBlockDelta?.contentBlockIndex === 0 ? [e.contentBlockDelta.delta?.reasoningContent] : [],
    );
    expect(reasoning.flatMap((r) => (r?.text === undefined ? [] : [r.text])).join("")).toBe("thinking about: Reason about this");
    expect(reasoning.at(-1)).toEqual({ signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    const usage = events.at(-1)?.metadata?.usage;
    const input = countFakeTokens("Reason about this");
    expect(usage).toEqual({
      inputTokens: input - 3,
      cacheReadInputTokens: 3,
      outputTokens: countFakeTokens("thinking about: Reason about this") + countFakeTokens("echo: Reason about this"),
      totalTokens: input + countFakeTokens("thinking about: Reason about this") + countFakeTokens("echo: Reason about this"),
    });
  });

  it("signs with temporary credentials: a session token is required and checked", async () => {
    const temporary = {
      accessKeyId: "ASIAFAKETEMPORARY000",
      secretAccessKey: "temporary-secret",
      sessionToken: "fake-session-token",
    };
    const sts = await startFakeUpstream({ kind: "bedrock", awsCredentials: temporary, region: "eu-central-1" });
    const good = new BedrockRuntimeClient({
      region: "eu-central-1",
      endpoint: sts.baseUrl,
      credentials: temporary,
      maxAttempts: 1,
    });
    const noToken = new BedrockRuntimeClient({
      region: "eu-central-1",
      endpoint: sts.baseUrl,
      credentials: { accessKeyId: temporary.accessKeyId, secretAccessKey: temporary.secretAccessKey },
      maxAttempts: 1,
    });
    try {
      const output = await good.send(
        new ConverseCommand({ modelId: "amazon.nova-lite-v1:0", messages: [{ role: "user", content: [{ text: "hi" }] }] }),
      );
      expect(output.output?.message?.content).toEqual([{ text: "echo: hi" }]);
      expect(sts.requests[0]?.headers["x-amz-security-token"]).toBe("fake-session-token");
      const error = await noToken
        .send(new ConverseCommand({ modelId: "amazon.nova-lite-v1:0", messages: [{ role: "user", content: [{ text: "hi" }] }] }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        name: "UnrecognizedClientException",
        message: "The security token included in the request is invalid.",
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      good.destroy();
      noToken.destroy();
      await sts.close();
    }
  });

  describe("errors", () => {
    it.each([
      {
        name: "a wrong secret",
        credentials: { accessKeyId: "AKIAFAKEBEDROCK00000", secretAccessKey: "guessed" },
        error: {
          name: "InvalidSignatureException",
          message:
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        },
      },
      {
        name: "an unknown access key",
        credentials: { accessKeyId: "AKIANOBODY0000000000", secretAccessKey: "x" },
        error: { name: "UnrecognizedClientException", message: "The security token included in the request is invalid." },
      },
    ])("refuses $name with AWS's 403", async ({ credentials, error }) => {
      const wrong = new BedrockRuntimeClient({ region: fake.region, endpoint: fake.baseUrl, credentials, maxAttempts: 1 });
      try {
        const caught = await wrong
          .send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "hi" }] }] }))
          .catch((e: unknown) => e);
        expect(caught).toMatchObject({ ...error, $fault: "client", $metadata: { httpStatusCode: 403 } });
      } finally {
        wrong.destroy();
      }
    });

    it("refuses a request signed for another region", async () => {
      const elsewhere = new BedrockRuntimeClient({
        region: "ap-south-1",
        endpoint: fake.baseUrl,
        credentials: fake.awsCredentials,
        maxAttempts: 1,
      });
      try {
        const caught = await elsewhere
          .send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "hi" }] }] }))
          .catch((e: unknown) => e);
        expect(caught).toMatchObject({ name: "InvalidSignatureException", $metadata: { httpStatusCode: 403 } });
      } finally {
        elsewhere.destroy();
      }
    });

    it("sends a scripted 429 that the SDK raises as its modelled ThrottlingException", async () => {
      fake.script({ error: { status: 429 } });
      const caught = await client
        .send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "hi" }] }] }))
        .catch((e: unknown) => e);
      expect(caught).toBeInstanceOf(ThrottlingException);
      expect(caught).toMatchObject({
        message: "Too many requests, please wait before trying again.",
        $metadata: { httpStatusCode: 429 },
      });
    });

    it("drops a stream mid-way when scripted, and the SDK's stream fails after the frames it got", async () => {
      fake.script({ dieMidStreamAfterChunks: 3 });
      const response = await client.send(
        new ConverseStreamCommand({
          modelId: MODEL_ID,
          messages: [{ role: "user", content: [{ text: "this will break off" }] }],
        }),
      );
      const seen: ConverseStreamOutput[] = [];
      const failure = await (async () => {
        for await (const event of response.stream ?? []) seen.push(event);
      })().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect(seen.length).toBeLessThanOrEqual(3);
      expect(seen.some((e) => e.messageStop !== undefined)).toBe(false);
    });
  });
});
