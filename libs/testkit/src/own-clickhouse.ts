/**
 * A ClickHouse server of the test's own (Debian's 18.16 binary, loopback, free ports, data in a temp folder) for
 * tests that must stop and restart the server — never the shared one. `stop()` kills it, `start()` brings it back
 * on the same ports and data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { waitFor } from "./wait-for.js";

export const CLICKHOUSE_SERVER_PATH = "/usr/sbin/clickhouse-server";

export interface OwnClickHouse {
  url: string;
  start(): Promise<void>;
  /** SIGKILL: the server is gone until start(). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function startOwnClickHouse(): Promise<OwnClickHouse> {
  const dir = mkdtempSync(join(tmpdir(), "tw-clickhouse-"));
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  for (const sub of ["data", "data/tmp", "data/user_files", "data/format_schemas", "log"])
    mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(
    join(dir, "config.xml"),
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/err.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/data/tmp/</tmp_path>
  <user_files_path>${dir}/data/user_files/</user_files_path>
  <format_schema_path>${dir}/data/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
</yandex>
`,
  );
  writeFileSync(
    join(dir, "users.xml"),
    `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
`,
  );
  const url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | undefined;
  const server: OwnClickHouse = {
    url,
    async start() {
      child = spawn(CLICKHOUSE_SERVER_PATH, [`--config-file=${join(dir, "config.xml")}`], { stdio: "ignore" });
      await waitFor(
        async () => {
          const response = await fetch(`${url}/ping`).catch(() => null);
          return response?.ok === true;
        },
        { what: "the test's own ClickHouse to answer", timeoutMs: 30_000 },
      );
    },
    async stop() {
      if (child === undefined || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
