/**
 * Real coding agents through the gateway with a ThinkWatch key: Claude Code (`claude -p`, ANTHROPIC_BASE_URL at the
 * gateway) against an Anthropic-format and an OpenAI-format upstream, and with thinking on against OpenAI- and
 * Gemini-kind upstreams (the vendor's reasoning token must come back upstream on the tool-result turn); Codex
 * (`codex exec`, a Responses-API provider at the gateway) against OpenAI's own Responses API, which must receive
 * exactly the bytes Codex sent — each completing a turn that runs a tool.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AgentClis,
  ensureAgentClis,
  type FakeUpstream,
  type FleetProcess,
  fakeReasoningSignature,
  type GatewayScenario,
  startGatewayScenario,
  startRecordingProxy,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let scenario: GatewayScenario;
let fleet: FleetProcess;
let anthropic: FakeUpstream;
let openai: FakeUpstream;
let gemini: FakeUpstream;
let clis: AgentClis;
let key: string;

beforeAll(async () => {
  clis = ensureAgentClis();
  scenario = await startGatewayScenario({ fakes: ["anthropic", "openai", "gemini"] });
  ({ fleet } = scenario);
  anthropic = scenario.fake("anthropic");
  openai = scenario.fake("openai");
  gemini = scenario.fake("gemini");
  await scenario.addProvider("gemini", {
    models: [{ model: "claude-sonnet-4-5-via-gemini", upstreamModel: "gemini-2.5-pro" }],
  });
  await scenario.addProvider("anthropic");
  // Claude model names Claude Code can be pointed at, served by an OpenAI-format upstream.
  await scenario.addProvider("openai", {
    models: [
      { model: "claude-via-openai", upstreamModel: "gpt-4o" },
      { model: "claude-via-openai-small", upstreamModel: "gpt-4o-mini" },
      { model: "claude-sonnet-4-5-via-openai", upstreamModel: "gpt-5" },
    ],
  });
  key = await scenario.createKey({ name: "agents" });
  await waitFor(async () => (await fetch(`${fleet.gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).ok, {
    what: "the gateway",
  });
}, 900_000);

afterAll(async () => {
  await scenario?.close();
});

/** Run an agent CLI without blocking this process's event loop (the fake upstreams live in it). */
function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? "", ...env },
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

function claudeCode(model: string, smallModel: string, prompt: string, extra: { thinking?: boolean } = {}) {
  const home = mkdtempSync(join(tmpdir(), "tw-claude-"));
  const output = extra.thinking ? ["--output-format", "stream-json", "--verbose"] : ["--output-format", "text"];
  return run(
    clis.claude,
    ["-p", prompt, "--allowedTools", "Bash", ...output],
    {
      ...(extra.thinking && { MAX_THINKING_TOKENS: "2048" }),
      HOME: home,
      ANTHROPIC_BASE_URL: fleet.gatewayUrl,
      ANTHROPIC_API_KEY: key,
      ANTHROPIC_MODEL: model,
      ANTHROPIC_SMALL_FAST_MODEL: smallModel,
      DISABLE_TELEMETRY: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_ERROR_REPORTING: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    },
    home,
  );
}

const bashTurn = (marker: string) => `use tool Bash with {"command":"echo ${marker}","description":"print a marker"}`;

describe("Claude Code through the gateway", () => {
  it("runs a tool-use turn against an Anthropic-format upstream", async () => {
    const before = anthropic.requests.length;
    const result = await claudeCode("claude-sonnet-5-5", "claude-haiku-5-5", bashTurn("tw-anthropic-lane"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // The model asked for Bash, Claude Code ran `echo`, sent the output back, and the model's answer quotes it.
    expect(result.stdout.trim()).toBe("tool Bash returned: tw-anthropic-lane");
    const calls = anthropic.requests.slice(before).filter((r) => r.path === "/v1/messages");
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((r) => r.headers["x-api-key"] === anthropic.apiKey)).toBe(true);
  });

  it("runs a tool-use turn against an OpenAI-format upstream", async () => {
    const before = openai.requests.length;
    const result = await claudeCode("claude-via-openai", "claude-via-openai-small", bashTurn("tw-openai-lane"));
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("tool Bash returned: tw-openai-lane");
    // Claude Code asks for thinking, which reaches OpenAI over the Responses API (the only one that returns
    // reasoning to carry into the next turn); requests without thinking use Chat Completions.
    const calls = openai.requests.slice(before).filter((r) => r.method === "POST");
    const expectedPath = (r: (typeof calls)[number]) =>
      (r.body as { reasoning?: unknown; thinking?: unknown }).reasoning === undefined ? "/v1/chat/completions" : "/v1/responses";
    expect(calls.map((r) => r.path)).toEqual(calls.map(expectedPath));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect((calls.at(-1)?.body as { model?: string } | undefined)?.model).toBe("gpt-4o");
  });
});

/** The thinking blocks Claude Code received, from its stream-json transcript. */
function thinkingSeen(transcript: string): string[] {
  const thoughts: string[] = [];
  for (const line of transcript.split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { type?: string; message?: { content?: Array<{ type?: string; thinking?: string }> } };
    if (entry.type !== "assistant") continue;
    for (const block of entry.message?.content ?? [])
      if (block.type === "thinking" && block.thinking) thoughts.push(block.thinking);
  }
  return thoughts;
}

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

describe("Claude Code with thinking on, through the gateway", () => {
  it("keeps OpenAI's encrypted reasoning across the tool loop (Responses API upstream)", async () => {
    const before = openai.requests.length;
    const result = await claudeCode("claude-sonnet-4-5-via-openai", "claude-via-openai-small", bashTurn("tw-thinking-openai"), {
      thinking: true,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("tool Bash returned: tw-thinking-openai");
    const turns = openai.requests.slice(before).filter((r) => r.path === "/v1/responses");
    expect(turns.length).toBeGreaterThanOrEqual(2);
    const thought = thinkingSeen(result.stdout).find((t) => t.includes("tw-thinking-openai"));
    expect(thought).toBeDefined();
    const replayed = turns.flatMap((r) => list((r.body as Json).input)).filter((i) => i.type === "reasoning");
    expect(replayed.map((i) => i.encrypted_content)).toContain(fakeReasoningSignature(thought as string));
  });

  it("keeps Gemini's thought signature on the function call across the tool loop", async () => {
    const before = gemini.requests.length;
    const result = await claudeCode("claude-sonnet-4-5-via-gemini", "claude-via-openai-small", bashTurn("tw-thinking-gemini"), {
      thinking: true,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("tool Bash returned: tw-thinking-gemini");
    const turns = gemini.requests
      .slice(before)
      .filter((r) => r.path.endsWith("GenerateContent") || r.path.endsWith("generateContent"));
    expect(turns.length).toBeGreaterThanOrEqual(2);
    const thought = thinkingSeen(result.stdout).find((t) => t.includes("tw-thinking-gemini"));
    expect(thought).toBeDefined();
    const calls = turns
      .flatMap((r) => list((r.body as Json).contents))
      .flatMap((c) => list(c.parts))
      .filter((p) => p.functionCall !== undefined);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    // The real signature came back, not the stand-in used when none exists.
    expect(calls.map((p) => p.thoughtSignature)).toContain(fakeReasoningSignature(thought as string));
    expect(calls.map((p) => p.thoughtSignature)).not.toContain("skip_thought_signature_validator");
  });
});

describe("Codex through the gateway", () => {
  it("runs a tool-use turn over the Responses API, which OpenAI receives byte for byte", async () => {
    const home = mkdtempSync(join(tmpdir(), "tw-codex-"));
    // Between Codex and the gateway, to know exactly what Codex sent.
    const proxy = await startRecordingProxy(fleet.gatewayUrl);
    const before = openai.requests.length;
    writeFileSync(
      join(home, "config.toml"),
      [
        'model = "gpt-4o-mini"',
        'model_provider = "thinkwatch"',
        "[model_providers.thinkwatch]",
        'name = "ThinkWatch"',
        `base_url = "${proxy.url}/v1"`,
        'env_key = "THINKWATCH_API_KEY"',
        'wire_api = "responses"',
      ].join("\n"),
    );
    const result = await run(
      clis.codex,
      [
        "exec",
        "--skip-git-repo-check",
        "--ephemeral",
        "--dangerously-bypass-approvals-and-sandbox",
        "--color",
        "never",
        'use tool exec_command with {"cmd":"echo tw-codex-lane"}',
      ],
      { HOME: home, CODEX_HOME: home, THINKWATCH_API_KEY: key },
      home,
    );
    await proxy.close();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("tool exec_command returned:");
    expect(result.stdout).toContain("tw-codex-lane");
    const sent = proxy.calls.filter((c) => c.method === "POST" && c.url === "/v1/responses").map((c) => c.body);
    const received = openai.requests.slice(before).filter((r) => r.path === "/v1/responses");
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(received.map((r) => r.rawBody)).toEqual(sent);
  });

  it("leaves an audit row for every agent request, each tagged with its client API", async () => {
    const apis = await scenario.waitForRows<{ inbound_api: string; n: string }>(
      "SELECT inbound_api, count() AS n FROM gateway_logs FINAL WHERE status_code = 200 GROUP BY inbound_api ORDER BY inbound_api",
      (rows) => rows.length === 2,
      "audit rows for both client APIs",
    );
    expect(apis.map((r) => r.inbound_api)).toEqual(["anthropic_messages", "openai_responses"]);
    for (const row of apis) expect(Number(row.n)).toBeGreaterThanOrEqual(2);
  });
});
