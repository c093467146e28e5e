/** A gateway for benchmarks: the test kit's gateway scenario with fake upstreams registered as providers and one key. */
import { type FakeUpstream, type GatewayScenario, startGatewayScenario } from "@thinkwatch/testkit";

export interface BenchGateway {
  fleet: GatewayScenario["fleet"];
  fakes: Partial<Record<"openai" | "anthropic", FakeUpstream>>;
  admin: GatewayScenario["admin"];
  key: string;
  close(): Promise<void>;
}

export async function startBenchGateway(
  kinds: Array<"openai" | "anthropic">,
  env: Record<string, string> = {},
  nodeArgs?: string[],
  /** Another build of the fleet (a baseline checkout's services/fleet/dist/main.js). */
  entry?: string,
): Promise<BenchGateway> {
  // The fleet gets only the environment given here: pass METRICS_BEARER_TOKEN through, to measure metrics on and off.
  const metrics = process.env.METRICS_BEARER_TOKEN;
  const metricsEnv: Record<string, string> = metrics === undefined || metrics === "" ? {} : { METRICS_BEARER_TOKEN: metrics };
  const scenario = await startGatewayScenario({
    fakes: kinds,
    record: false,
    env: { LOG_LEVEL: "warn", ...metricsEnv, ...env },
    ...(nodeArgs === undefined ? {} : { nodeArgs }),
    ...(entry === undefined ? {} : { entry }),
  });
  const fakes: BenchGateway["fakes"] = {};
  for (const kind of kinds) {
    fakes[kind] = scenario.fake(kind);
    await scenario.addProvider(kind);
  }
  const key = await scenario.createKey({ name: "bench" });
  return { fleet: scenario.fleet, fakes, admin: scenario.admin, key, close: () => scenario.close() };
}
