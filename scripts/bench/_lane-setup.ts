/**
 * The servers of the lanes benchmark, each a process of its own: the fixed upstream and the load generator's core
 * apart from the servers' core; a bare Hono + undici hop; Portkey's Node gateway; and ThinkWatch (all-in-one, or
 * with ai-proxy alone in its process) with a pass-through key (no rules) and a governed key (3 rate-limit rules and
 * a token budget; cost and audit to ClickHouse happen on every request anyway).
 */
import { type ConsoleClient, type FleetProcess, freePort, startFleetProcess, startGatewayScenario } from "@thinkwatch/testkit";
import { pinned, pinProcess, REPO_ROOT, type ServerProcess, startPrintingPort, startServerScript } from "./_procs.js";

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export interface LaneServers {
  upstream: ServerProcess;
  upstreamBase: string;
  bareHop: ServerProcess;
  portkey: ServerProcess | null;
  gateway: { url: string; pid: number; fleet: FleetProcess; admin: ConsoleClient };
  passKey: string;
  governedKey: string;
  /** The Redis server the fleet uses. */
  redisUrl: string;
  close(): Promise<void>;
}

export interface LaneServerOptions {
  /** ai-proxy alone in its own process on the servers' core, every other service in a second process. */
  split: boolean;
  portkey: boolean;
  streamChunks: number;
  streamGapMs: number;
  /** Extra Node flags for the gateway process (`--cpu-prof`). */
  gatewayNodeArgs?: string[];
}

export async function startLaneServers(options: LaneServerOptions): Promise<LaneServers> {
  const stops: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const upstream = await startServerScript(
      "_upstream-server.ts",
      ["--chunks", String(options.streamChunks), "--gap-ms", String(options.streamGapMs)],
      LOAD_CORE,
    );
    stops.push(() => upstream.stop());
    const upstreamBase = `http://127.0.0.1:${upstream.port}/v1`;
    const bareHop = await startServerScript("_bare-hop.ts", ["--upstream", upstreamBase], SERVER_CORE);
    stops.push(() => bareHop.stop());

    let portkey: ServerProcess | null = null;
    if (options.portkey) {
      const port = await freePort();
      portkey = await startPrintingPort(
        pinned(SERVER_CORE, [
          process.execPath,
          "--import",
          `${REPO_ROOT}/scripts/bench/_portkey-fetch.mjs`,
          `${REPO_ROOT}/node_modules/@portkey-ai/gateway/build/start-server.js`,
          `--port=${port}`,
          "--headless",
        ]),
        (line) => (line.includes("Ready for connections") ? port : undefined),
        { ...process.env, NODE_ENV: "production" },
      );
      stops.push(() => (portkey as ServerProcess).stop());
    }

    const scenario = await startGatewayScenario({
      env: { LOG_LEVEL: "warn" },
      ...(options.split
        ? { services: ["key-service", "quota", "audit-ingest", "forwarder", "admin-api", "mcp-proxy"] }
        : options.gatewayNodeArgs === undefined
          ? {}
          : { nodeArgs: options.gatewayNodeArgs }),
    });
    stops.push(() => scenario.close());
    // The provider first: after setup, an ai-proxy process is ready only once it has a usable provider.
    const admin = scenario.admin;
    const provider = await admin.call("POST", "/api/admin/providers", {
      name: "bench-openai",
      kind: "openai",
      baseUrl: upstreamBase,
      apiKey: "sk-bench",
      settings: {},
    });
    if (provider.status !== 201) throw new Error(`provider refused: ${JSON.stringify(provider.body)}`);
    let fleet = scenario.fleet;
    if (options.split) {
      pinProcess(scenario.fleet.process.pid as number, LOAD_CORE);
      fleet = await startFleetProcess({
        env: { ...scenario.testEnv.env, LOG_LEVEL: "warn" },
        services: ["ai-proxy"],
        ...(options.gatewayNodeArgs === undefined ? {} : { nodeArgs: options.gatewayNodeArgs }),
      });
      stops.unshift(async () => void (await fleet.stop()));
    }
    pinProcess(fleet.process.pid as number, SERVER_CORE);

    const passKey = await scenario.createKey({ name: "pass-through" });
    const governed = await admin.call<{ key: { id: string }; plaintext: string }>("POST", "/api/keys", { name: "governed" });
    if (governed.status !== 201) throw new Error(`key refused: ${JSON.stringify(governed.body)}`);
    // Limits high enough never to refuse, so every request runs the whole check, reservation and settlement.
    const limits = `/api/admin/limits/api_key/${governed.body.key.id}`;
    const rules = await admin.call("PUT", `${limits}/rules`, {
      rules: [
        { surface: "ai_gateway", metric: "requests", windowSeconds: 60, limit: 1_000_000_000 },
        { surface: "ai_gateway", metric: "requests", windowSeconds: 3600, limit: 1_000_000_000 },
        { surface: "ai_gateway", metric: "tokens", windowSeconds: 60, limit: 1_000_000_000_000 },
      ],
    });
    if (rules.status !== 200) throw new Error(`rules refused: ${JSON.stringify(rules.body)}`);
    const budgets = await admin.call("PUT", `${limits}/budgets`, {
      budgets: [{ period: "daily", unit: "tokens", limit: 1e14 }],
    });
    if (budgets.status !== 200) throw new Error(`budget refused: ${JSON.stringify(budgets.body)}`);

    return {
      upstream,
      upstreamBase,
      bareHop,
      portkey,
      gateway: { url: fleet.gatewayUrl, pid: fleet.process.pid as number, fleet, admin },
      passKey,
      governedKey: governed.body.plaintext,
      redisUrl: scenario.testEnv.env.REDIS_URL as string,
      close,
    };
  } catch (caught) {
    await close();
    throw caught;
  }
}
