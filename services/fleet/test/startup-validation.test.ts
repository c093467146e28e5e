import { spawn } from "node:child_process";
import { FLEET_ENTRY, freePort, TEST_SECRETS } from "@thinkwatch/testkit";
import { describe, expect, it } from "vitest";

/** Run the fleet entry with this environment and collect what it prints until it exits. */
function runFleet(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FLEET_ENTRY], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe("startup validation", () => {
  it("refuses weak or malformed secrets with one line per variable, before connecting anywhere", async () => {
    const result = await runFleet({
      JWT_SECRET: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      ENCRYPTION_KEY: "not-hex",
      GATEWAY_PORT: "http",
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("ThinkWatch cannot start:");
    expect(
      lines
        .slice(1)
        .map((l) => l.trim().split(":")[0])
        .sort(),
    ).toEqual(["ENCRYPTION_KEY", "GATEWAY_PORT", "JWT_SECRET"]);
    expect(result.stderr).toContain(
      "JWT_SECRET: is too predictable (low entropy); generate a random one with: openssl rand -hex 32",
    );
    expect(result.stderr).toContain(
      "ENCRYPTION_KEY: must be exactly 64 hex characters (32 bytes); generate one with: openssl rand -hex 32",
    );
    expect(result.stderr).not.toContain("not-hex");
    expect(result.stdout).toBe("");
  });

  it("refuses a short JWT secret and reports missing required secrets", async () => {
    const short = await runFleet({ JWT_SECRET: "short", ENCRYPTION_KEY: TEST_SECRETS.ENCRYPTION_KEY });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("JWT_SECRET: must be at least 32 characters; generate one with: openssl rand -hex 32");
    const missing = await runFleet({});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("JWT_SECRET: is required; generate one with: openssl rand -hex 32");
    expect(missing.stderr).toContain("ENCRYPTION_KEY: is required: 64 hex characters (32 bytes)");
  });

  it("names every unreachable dependency with what to do, and never prints a password", async () => {
    const [pg, redis, nats, clickhouse] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const result = await runFleet({
      ...TEST_SECRETS,
      DATABASE_URL: `postgres://thinkwatch:hunter2@127.0.0.1:${pg}/thinkwatch`,
      REDIS_URL: `redis://127.0.0.1:${redis}`,
      NATS_URL: `nats://127.0.0.1:${nats}`,
      CLICKHOUSE_URL: `http://127.0.0.1:${clickhouse}`,
    });
    expect(result.code).toBe(1);
    const lines = result.stderr
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.trim());
    expect(lines.map((l) => l.split(":")[0]).sort()).toEqual(["CLICKHOUSE_URL", "DATABASE_URL", "NATS_URL", "REDIS_URL"]);
    expect(lines.find((l) => l.startsWith("DATABASE_URL"))).toMatch(
      new RegExp(
        `^DATABASE_URL: cannot reach PostgreSQL at postgres://thinkwatch:\\*\\*\\*@127\\.0\\.0\\.1:${pg}/thinkwatch \\(ECONNREFUSED\\)\\. Start PostgreSQL`,
      ),
    );
    expect(lines.find((l) => l.startsWith("NATS_URL"))).toMatch(
      /cannot reach NATS at nats:\/\/127\.0\.0\.1:\d+.*Start nats-server with JetStream/,
    );
    expect(result.stderr).not.toContain("hunter2");
  });

  it("rejects an unknown service name", async () => {
    const result = await runFleet({ ...TEST_SECRETS, THINKWATCH_SERVICES: "ai-proxy,teleporter" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("THINKWATCH_SERVICES: unknown service teleporter; choose from all, key-service, quota");
  });
});
