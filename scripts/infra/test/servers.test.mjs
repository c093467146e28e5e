// Real-server tests of the infrastructure steps: each start path runs against a free port with a throwaway data
// folder, is shown to be reused on a second run, and every server started here is stopped afterwards.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { probeClickHouseServer } from "../clickhouse.mjs";
import { formatStatus, InfrastructureError, prepareInfrastructure, REPO_ROOT } from "../index.mjs";
import { probeNatsServer } from "../nats.mjs";
import { probePostgresServer } from "../postgres.mjs";
import { probeRedisServer } from "../redis.mjs";
import { readClickHouseSettings, readNatsSettings, readPostgresSettings, readRedisSettings } from "../settings.mjs";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function pidFrom(file, pattern = /(\d+)/) {
  if (!existsSync(file)) return undefined;
  const match = pattern.exec(readFileSync(file, "utf8"));
  return match === null ? undefined : Number(match[1]);
}

async function stopPid(pid) {
  if (pid === undefined) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.error(`pid ${pid} still alive after SIGTERM; killing`);
  process.kill(pid, "SIGKILL");
}

describe("prepareInfrastructure starts what is missing and reuses it afterwards", () => {
  let dataDir;
  let env;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "tw-infra-"));
    env = {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      NATS_URL: `nats://127.0.0.1:${await freePort()}`,
      CLICKHOUSE_URL: `http://127.0.0.1:${await freePort()}`,
      CLICKHOUSE_DB: "tw_infra_test",
    };
  });

  after(async () => {
    const redisPort = readRedisSettings(env).port;
    const natsPort = readNatsSettings(env).port;
    await stopPid(pidFrom(join(dataDir, "redis", `redis-${redisPort}.pid`)));
    await stopPid(pidFrom(join(dataDir, "nats", `nats-${natsPort}.pid`)));
    await stopPid(pidFrom(join(dataDir, "clickhouse", "data", "status"), /PID: (\d+)/));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts Redis, NATS with JetStream and ClickHouse from the CLI, and they outlive it", async () => {
    const cli = spawn(process.execPath, [join(REPO_ROOT, "scripts/prepare.mjs"), "redis", "nats", "clickhouse"], {
      env: { ...process.env, ...env, THINKWATCH_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    cli.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const code = await new Promise((resolve) => cli.on("exit", resolve));
    assert.equal(code, 0, stdout);
    const ch = readClickHouseSettings(env);
    const lines = stdout.trim().split("\n");
    assert.equal(lines.length, 3);
    assert.match(
      lines[0] ?? "",
      new RegExp(`^redis      ok  127\\.0\\.0\\.1:${readRedisSettings(env).port} \\(started, \\d+\\.\\d s\\)$`),
    );
    assert.match(lines[1] ?? "", /^nats {7}ok {2}127\.0\.0\.1:\d+ \(started, \d+\.\d s, JetStream on\)$/);
    assert.match(lines[2] ?? "", new RegExp(`^clickhouse ok  ${ch.address.replace(/\./g, "\\.")} \\(started, \\d+\\.\\d s\\)$`));
    // The CLI has exited; the servers it started must still answer.
    assert.deepEqual(await probeRedisServer(readRedisSettings(env)), { state: "ready" });
    assert.deepEqual(await probeNatsServer(readNatsSettings(env)), { state: "ready" });
    assert.deepEqual(await probeClickHouseServer(ch), { state: "ready" });
    const response = await fetch(`${ch.baseUrl}/`, {
      method: "POST",
      body: "SELECT name FROM system.databases WHERE name = 'tw_infra_test'",
    });
    assert.equal((await response.text()).trim(), "tw_infra_test");
  });

  it("reuses the servers on a second run instead of starting new ones", async () => {
    const lines = [];
    const results = await prepareInfrastructure({
      env,
      log: (line) => lines.push(line),
      dataDir,
      only: ["redis", "nats", "clickhouse"],
    });
    assert.deepEqual(
      Object.values(results).map((result) => result.note),
      ["already running", "already running, JetStream on", "already running"],
    );
    assert.equal(lines[0], formatStatus("redis", "ok", `${readRedisSettings(env).address} (already running)`));
  });
});

describe("probes tell down, ready and unusable servers apart", () => {
  it("reports a closed port as down for every component", async () => {
    const port = await freePort();
    const outcomes = await Promise.all([
      probePostgresServer(readPostgresSettings({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x` })),
      probeRedisServer(readRedisSettings({ REDIS_URL: `redis://127.0.0.1:${port}` })),
      probeNatsServer(readNatsSettings({ NATS_URL: `nats://127.0.0.1:${port}` })),
      probeClickHouseServer(readClickHouseSettings({ CLICKHOUSE_URL: `http://127.0.0.1:${port}` })),
    ]);
    assert.deepEqual(
      outcomes.map((outcome) => outcome.state),
      ["down", "down", "down", "down"],
    );
    assert.equal(outcomes[0].detail, "connection refused");
  });

  it("reports a NATS server without JetStream as unusable, with the fix", async () => {
    const port = await freePort();
    const server = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    try {
      const settings = readNatsSettings({ NATS_URL: `nats://127.0.0.1:${port}` });
      let outcome = await probeNatsServer(settings);
      for (let tries = 0; outcome.state === "down" && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        outcome = await probeNatsServer(settings);
      }
      assert.equal(outcome.state, "broken");
      assert.match(outcome.detail, /has no JetStream/);
      assert.equal(outcome.remedy, "Start nats-server with -js");
    } finally {
      server.kill();
    }
  });

  it("reports a ClickHouse that refuses the configured password as unusable", async () => {
    // The project's ClickHouse (prepared before tests run) has a password-less default user.
    assert.deepEqual(await probeClickHouseServer(readClickHouseSettings(process.env)), { state: "ready" });
    const outcome = await probeClickHouseServer(
      readClickHouseSettings({ ...process.env, CLICKHOUSE_PASSWORD: "definitely-wrong" }),
    );
    assert.equal(outcome.state, "broken");
    assert.match(outcome.detail, /refused user "default"/);
  });

  it("fails with one line per unknown component and throws InfrastructureError", async () => {
    const lines = [];
    await assert.rejects(
      prepareInfrastructure({ env: {}, log: (line) => lines.push(line), only: ["mysql"] }),
      (error) => error instanceof InfrastructureError && error.problems.length === 1,
    );
    assert.deepEqual(lines, ['mysql      FAIL unknown component "mysql". Use postgres, redis, nats, clickhouse']);
  });
});
