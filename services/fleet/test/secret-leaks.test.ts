/**
 * Secrets stay secret end to end: after a provider with an API key and a secret header serves requests (good and
 * failing ones) through a virtual key, and an OIDC client secret is saved, none of those values appears in any
 * console API response, in any log line of the fleet (at debug level) or in any ClickHouse row.
 */
import { createClickHouse } from "@thinkwatch/clickhouse";
import { type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SECRET_HEADER_VALUE = "org-secret-header-7d1c0b9e";
const OIDC_SECRET = "oidc-client-secret-4a2f8e61";
let scenario: GatewayScenario;
let virtualKey: string;
const responses: string[] = [];

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai"], env: { LOG_LEVEL: "debug" } });
  await scenario.addProvider("openai", { secretHeaders: { "x-org-token": SECRET_HEADER_VALUE } });
  virtualKey = await scenario.createKey({ name: "leak-check" });
});

afterAll(async () => {
  await scenario?.close();
});

describe("secrets never leak", () => {
  it("are absent from API responses, log lines and ClickHouse rows", async () => {
    const { admin, fleet, fake } = scenario;
    const upstreamKey = fake("openai").apiKey;
    const client = new OpenAI({ apiKey: virtualKey, baseURL: `${fleet.gatewayUrl}/v1`, maxRetries: 0 });
    const ok = await waitFor(
      () =>
        client.chat.completions
          .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hello" }] })
          .catch(() => null),
      { what: "a routed request" },
    );
    expect(ok.choices[0]?.message.role).toBe("assistant");
    await client.chat.completions
      .create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] })
      .catch(() => null);
    await new OpenAI({ apiKey: `${virtualKey}x`, baseURL: `${fleet.gatewayUrl}/v1`, maxRetries: 0 }).models
      .list()
      .catch(() => null);
    expect(fake("openai").requests.at(-1)?.headers["x-org-token"]).toBe(SECRET_HEADER_VALUE);

    const saved = await admin.call("PUT", "/api/admin/sso", {
      enabled: false,
      issuer: "https://idp.example.com",
      clientId: "thinkwatch",
      clientSecret: OIDC_SECRET,
    });
    expect(saved.status).toBe(200);
    for (const path of [
      "/api/admin/providers",
      "/api/admin/models",
      "/api/admin/sso",
      "/api/keys",
      "/api/admin/settings",
      "/api/openapi.json",
    ]) {
      const response = await admin.call("GET", path);
      expect(response.status).toBe(200);
      responses.push(JSON.stringify(response.body));
    }
    responses.push(JSON.stringify(saved.body));

    const rows = await scenario.waitForRows<Record<string, unknown>>(
      "SELECT * FROM gateway_logs",
      (found) => found.length >= 2,
      "gateway log rows for the requests",
    );
    const clickhouse = createClickHouse({
      url: scenario.testEnv.env.CLICKHOUSE_URL as string,
      database: scenario.testEnv.env.CLICKHOUSE_DB as string,
    });
    const everyRow: string[] = [JSON.stringify(rows)];
    try {
      const tables = await clickhouse.query<{ name: string }>(
        "SELECT name FROM system.tables WHERE database = currentDatabase()",
      );
      for (const { name } of tables) {
        if (!/^[A-Za-z0-9_.]+$/.test(name)) throw new Error(`unexpected table name ${name}`);
        everyRow.push(JSON.stringify(await clickhouse.query(`SELECT * FROM \`${name}\``)));
      }
    } finally {
      await clickhouse.close();
    }

    const places = { responses: responses.join("\n"), logs: fleet.output(), clickhouse: everyRow.join("\n") };
    expect(places.logs.length).toBeGreaterThan(1000);
    for (const [where, text] of Object.entries(places)) {
      for (const [what, secret] of Object.entries({
        upstreamKey,
        secretHeader: SECRET_HEADER_VALUE,
        oidcSecret: OIDC_SECRET,
        virtualKey,
      })) {
        expect({ where, what, leaked: text.includes(secret) }).toEqual({ where, what, leaked: false });
      }
    }
  });
});
