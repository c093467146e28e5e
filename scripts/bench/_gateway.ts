/** A gateway for benchmarks: an isolated environment, fake upstreams of the given kinds as providers, one key. */
import {
  createConsoleClient,
  createTestEnvironment,
  type FakeUpstream,
  type FleetProcess,
  startFakeUpstream,
  startFleetProcess,
} from "@thinkwatch/testkit";

export interface BenchGateway {
  fleet: FleetProcess;
  fakes: Partial<Record<"openai" | "anthropic", FakeUpstream>>;
  admin: ReturnType<typeof createConsoleClient>;
  key: string;
  close(): Promise<void>;
}

export async function startBenchGateway(kinds: Array<"openai" | "anthropic">): Promise<BenchGateway> {
  const testEnv = await createTestEnvironment({ clickhouse: true });
  const fakes: BenchGateway["fakes"] = {};
  for (const kind of kinds) fakes[kind] = await startFakeUpstream({ kind, record: false });
  const fleet = await startFleetProcess({ env: { ...testEnv.env, LOG_LEVEL: "warn" } });
  const admin = createConsoleClient(fleet.consoleUrl);
  await admin.initialize();
  for (const [kind, fake] of Object.entries(fakes)) {
    await admin.call("POST", "/api/admin/providers", { name: kind, kind, baseUrl: fake.baseUrl, apiKey: fake.apiKey });
  }
  const key = (await admin.call<{ plaintext: string }>("POST", "/api/keys", { name: "bench" })).body.plaintext;
  return {
    fleet,
    fakes,
    admin,
    key,
    async close() {
      await fleet.stop();
      for (const fake of Object.values(fakes)) await fake.close();
      await testEnv.cleanup();
    },
  };
}
