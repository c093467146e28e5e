/**
 * Real coding agents for end-to-end tests: Claude Code and Codex, pinned, installed on first use into
 * .data/agents (hundreds of MB of native binaries from the npm registry, so not in every `npm ci`).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { REPO_ROOT } from "./test-environment.js";

export const AGENT_VERSIONS = { claudeCode: "2.1.332", codex: "0.171.0" } as const;

const AGENTS_DIR = resolve(REPO_ROOT, ".data/agents");

export interface AgentClis {
  claude: string;
  codex: string;
}

export function ensureAgentClis(): AgentClis {
  const claude = resolve(AGENTS_DIR, "node_modules/.bin/claude");
  const codex = resolve(AGENTS_DIR, "node_modules/.bin/codex");
  const versionsOk = () => {
    try {
      return (
        execFileSync(claude, ["--version"], { encoding: "utf8" }).includes(AGENT_VERSIONS.claudeCode) &&
        execFileSync(codex, ["--version"], { encoding: "utf8" }).includes(AGENT_VERSIONS.codex)
      );
    } catch {
      return false;
    }
  };
  if (!existsSync(claude) || !existsSync(codex) || !versionsOk()) {
    execFileSync(
      "npm",
      [
        "install",
        "--prefix",
        AGENTS_DIR,
        "--no-save",
        "--no-audit",
        "--no-fund",
        `@anthropic-ai/claude-code@${AGENT_VERSIONS.claudeCode}`,
        `@openai/codex@${AGENT_VERSIONS.codex}`,
      ],
      { stdio: "inherit", timeout: 600_000 },
    );
  }
  return { claude, codex };
}
