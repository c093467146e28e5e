/**
 * The setup most gateway tests and benchmarks share: an isolated environment, fake upstreams, the fleet as a
 * process, the super admin, providers pointing at the fakes, and keys — one call instead of the same dozen lines.
 */
import { createClickHouse } from "@thinkwatch/clickhouse";
import { type ConsoleClient, createConsoleClient } from "./console-client.js";
import { type FakeUpstream, type FakeUpstreamKind, type FakeUpstreamOptions, startFakeUpstream } from "./fake-upstreams/index.js";
import { type FleetProcess, startFleetProcess } from "./fleet-process.js";
import { createTestEnvironment, type TestEnvironment } from "./test-environment.js";
import { waitFor } from "./wait-for.js";

export interface GatewayScenarioOptions {
  /** Fake upstreams to start, by kind or with options (recording requests unless `record` is false). */
  fakes?: Array<FakeUpstreamKind | FakeUpstreamOptions>;
  record?: boolean;
  /** Extra environment for the fleet process. */
  env?: Record<string, string>;
  services?: string[];
  /** Extra Node flags for the fleet process (`--cpu-prof` when profiling a benchmark). */
  nodeArgs?: string[];
  /** Another build of the fleet to run (FleetProcessOptions.entry). */
  entry?: string;
}

export interface GatewayScenario {
  testEnv: TestEnvironment;
  fleet: FleetProcess;
  admin: ConsoleClient;
  fakes: Map<FakeUpstreamKind, FakeUpstream>;
  fake(kind: FakeUpstreamKind): FakeUpstream;
  /** A provider named after the fake's kind that points at it (kind-specific settings filled in). */
  addProvider(kind: FakeUpstreamKind, extra?: Record<string, unknown>): Promise<void>;
  /** A key for the super admin; returns the plaintext. */
  createKey(body?: Record<string, unknown>): Promise<string>;
  /** Rows of a ClickHouse query, polled until `accept` holds. */
  waitForRows<T>(sql: string, accept: (rows: T[]) => boolean, what: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function startGatewayScenario(options: GatewayScenarioOptions = {}): Promise<GatewayScenario> {
  const testEnv = await createTestEnvironment({ clickhouse: true });
  const fakes = new Map<FakeUpstreamKind, FakeUpstream>();
  let starting: FleetProcess | undefined;
  const { fleet, admin } = await (async () => {
    for (const fake of options.fakes ?? []) {
      const fakeOptions = typeof fake === "string" ? { kind: fake } : fake;
      fakes.set(fakeOptions.kind, await startFakeUpstream({ record: options.record ?? true, ...fakeOptions }));
    }
    starting = await startFleetProcess({
      env: { ...testEnv.env, ...options.env },
      ...(options.services === undefined ? {} : { services: options.services }),
      ...(options.nodeArgs === undefined ? {} : { nodeArgs: options.nodeArgs }),
      ...(options.entry === undefined ? {} : { entry: options.entry }),
    });
    const client = createConsoleClient(starting.consoleUrl);
    await client.initialize();
    return { fleet: starting, admin: client };
  })().catch(async (caught: unknown) => {
    // A scenario that did not start leaves nothing behind: its fleet, fakes and databases go with the error.
    await starting?.kill();
    for (const upstream of fakes.values()) await upstream.close();
    await testEnv.cleanup();
    throw caught;
  });
  const fake = (kind: FakeUpstreamKind) => {
    const found = fakes.get(kind);
    if (found === undefined) throw new Error(`no ${kind} fake in this scenario`);
    return found;
  };

  return {
    testEnv,
    fleet,
    admin,
    fakes,
    fake,
    async addProvider(kind, extra = {}) {
      const upstream = fake(kind);
      const settings: Record<string, unknown> =
        kind === "azure_openai"
          ? { apiVersion: "2024-10-21" }
          : kind === "bedrock"
            ? { region: upstream.region, accessKeyId: upstream.awsCredentials.accessKeyId }
            : {};
      const created = await admin.call("POST", "/api/admin/providers", {
        name: kind,
        kind,
        baseUrl: upstream.baseUrl,
        apiKey: kind === "bedrock" ? upstream.awsCredentials.secretAccessKey : upstream.apiKey,
        settings,
        ...extra,
      });
      if (created.status !== 201) throw new Error(`provider ${kind} refused: ${JSON.stringify(created.body)}`);
    },
    async createKey(body = { name: "test" }) {
      const created = await admin.call<{ plaintext: string }>("POST", "/api/keys", body);
      if (created.status !== 201) throw new Error(`key refused: ${JSON.stringify(created.body)}`);
      return created.body.plaintext;
    },
    async waitForRows<T>(sql: string, accept: (rows: T[]) => boolean, what: string) {
      const clickhouse = createClickHouse({
        url: testEnv.env.CLICKHOUSE_URL as string,
        database: testEnv.env.CLICKHOUSE_DB as string,
      });
      try {
        return await waitFor(
          async () => {
            const rows = await clickhouse.query<T>(sql);
            return accept(rows) ? rows : null;
          },
          { what },
        );
      } finally {
        await clickhouse.close();
      }
    },
    async close() {
      await fleet.stop();
      for (const upstream of fakes.values()) await upstream.close();
      await testEnv.cleanup();
    },
  };
}
