/**
 * Real coding agents through the gateway with a ThinkWatch key: Claude Code (`claude -p`, ANTHROPIC_BASE_URL at the
 * gateway) against an Anthropic-format and an OpenAI-format upstream, and Codex (`codex exec`, a Responses-API
 * provider at the gateway) against an OpenAI-format upstream — each completing a turn that runs a tool.
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
  type GatewayScenario,
  startGatewayScenario,
  waitFor,
} from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let scenario: GatewayScenario;
let fleet: FleetProcess;
let anthropic: FakeUpstream;
let openai: FakeUpstream;
let clis: AgentClis;
let key: string;

beforeAll(async () => {
  clis = ensureAgentClis();
  scenario = await startGatewayScenario({ fakes: ["anthropic", "openai"] });
  ({ fleet } = scenario);
  anthropic = scenario.fake("anthropic");
  openai = scenario.fake("openai");
  await scenario.addProvider("anthropic");
  // Claude model names Claude Code can be pointed at, served by an OpenAI-format upstream.
  await scenario.addProvider("openai", {
    models: [
      { model: "claude-via-openai", upstreamModel: "gpt-4o" },
      { model: "claude-via-openai-small", upstreamModel: "gpt-4o-mini" },
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

function claudeCode(model: string, smallModel: string, prompt: string) {
  const home = mkdtempSync(join(tmpdir(), "tw-claude-"));
  return run(
    clis.claude,
    ["-p", prompt, "--allowedTools", "Bash", "--output-format", "text"],
    {
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
    const calls = openai.requests.slice(before).filter((r) => r.path === "/v1/chat/completions");
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect((calls.at(-1)?.body as { model?: string } | undefined)?.model).toBe("gpt-4o");
  });
});

describe("Codex through the gateway", () => {
  it("runs a tool-use turn over the Responses API against an OpenAI-format upstream", async () => {
    const home = mkdtempSync(join(tmpdir(), "tw-codex-"));
    writeFileSync(
      join(home, "config.toml"),
      [
        'model = "gpt-4o-mini"',
        'model_provider = "thinkwatch"',
        "[model_providers.thinkwatch]",
        'name = "ThinkWatch"',
        `base_url = "${fleet.gatewayUrl}/v1"`,
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
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("tool exec_command returned:");
    expect(result.stdout).toContain("tw-codex-lane");
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
