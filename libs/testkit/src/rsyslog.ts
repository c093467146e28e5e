/**
 * A real rsyslog (Debian's package, installed on first use) running as a user-level receiver on free loopback
 * ports: RFC 5424 over UDP and TCP (octet-counted framing), every message written as rsyslog's own parse of it
 * (`%jsonmesg%`: header fields, structured data, MSG) — the far end of a syslog log channel in tests.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { waitFor } from "./wait-for.js";

export const RSYSLOGD_PATH = "/usr/sbin/rsyslogd";
const INSTALL_LOCK = "/tmp/thinkwatch-chromium-install.lock";

/** rsyslog's parse of one received message (a subset of `%jsonmesg%`). */
export interface ReceivedSyslog {
  msg: string;
  rawmsg: string;
  hostname: string;
  "app-name": string;
  procid: string;
  msgid: string;
  "structured-data": string;
  syslogfacility: string;
  syslogseverity: string;
  "protocol-version": string;
  inputname: string;
  timereported: string;
}

export interface RsyslogReceiver {
  udpPort: number;
  tcpPort: number;
  /** Every message received so far, parsed by rsyslog. */
  received(): ReceivedSyslog[];
  close(): Promise<void>;
}

function apt(args: string[]): void {
  execFileSync("flock", [INSTALL_LOCK, "apt-get", ...args], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    timeout: 600_000,
  });
}

export function ensureRsyslog(): string {
  if (existsSync(RSYSLOGD_PATH)) return RSYSLOGD_PATH;
  const install = ["install", "-y", "--no-install-recommends", "rsyslog"];
  try {
    apt(install);
  } catch {
    apt(["update"]);
    apt(install);
  }
  if (!existsSync(RSYSLOGD_PATH)) throw new Error(`installed the rsyslog package but ${RSYSLOGD_PATH} does not exist`);
  return RSYSLOGD_PATH;
}

export async function startRsyslog(): Promise<RsyslogReceiver> {
  const binary = ensureRsyslog();
  const dir = mkdtempSync(join(tmpdir(), "tw-rsyslog-"));
  const [udpPort, tcpPort] = [await freePort(), await freePort()];
  const out = join(dir, "messages.jsonl");
  writeFileSync(
    join(dir, "rsyslog.conf"),
    [
      `global(workDirectory="${dir}" maxMessageSize="256k")`,
      'module(load="imudp")',
      'module(load="imtcp")',
      `input(type="imudp" address="127.0.0.1" port="${udpPort}")`,
      `input(type="imtcp" address="127.0.0.1" port="${tcpPort}")`,
      'template(name="parsed" type="string" string="%jsonmesg%\\n")',
      `*.* action(type="omfile" file="${out}" template="parsed" flushOnTXEnd="on" asyncWriting="off")`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(binary, ["-n", "-f", join(dir, "rsyslog.conf"), "-i", join(dir, "rsyslogd.pid")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const received = (): ReceivedSyslog[] => {
    if (!existsSync(out)) return [];
    return readFileSync(out, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as ReceivedSyslog);
  };
  // Ready when both listeners answer: a TCP connect succeeds (imtcp binds after imudp).
  const { connect } = await import("node:net");
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        if (child.exitCode !== null) throw new Error(`rsyslogd exited: ${output}`);
        const socket = connect(tcpPort, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      }),
    { what: "rsyslogd to listen", timeoutMs: 20_000 },
  );
  return {
    udpPort,
    tcpPort,
    received,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
