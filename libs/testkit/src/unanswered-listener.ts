/**
 * A local TCP address whose connects never complete, for connect-timeout tests: a socket listening in a child
 * process whose event loop is blocked (so it never accepts), with its small accept queue filled up front. The kernel
 * then drops further SYNs and a client waits until its own connect timeout (Linux, `tcp_abort_on_overflow` = 0, the
 * default). Non-routable addresses are no substitute: behind a transparent proxy they connect at once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect, type Socket } from "node:net";

export interface UnansweredListener {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

// Listens with a backlog of 1, writes its port synchronously, then blocks its event loop without spinning.
const CHILD = `
const server = require("node:net").createServer();
server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  require("node:fs").writeSync(1, server.address().port + "\\n");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
`;

/** True when a connect to the port completes within `ms`. */
function connects(port: number, ms: number, sockets: Socket[]): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    sockets.push(socket);
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

export async function startUnansweredListener(): Promise<UnansweredListener> {
  const child: ChildProcess = spawn(process.execPath, ["-e", CHILD], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the unanswered listener exited (${code})`)));
    child.stdout?.once("data", (data: Buffer) => resolve(Number(String(data).trim())));
  });
  // Fill the accept queue: connects complete until it is full; the first one that does not proves it is.
  const fillers: Socket[] = [];
  let full = false;
  for (let i = 0; i < 16 && !full; i++) full = !(await connects(port, 300, fillers));
  const close = async () => {
    for (const socket of fillers) socket.destroy();
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
  };
  if (!full) {
    await close();
    throw new Error("the unanswered listener's accept queue did not fill: connects to it still complete");
  }
  return { url: `http://127.0.0.1:${port}`, port, close };
}
