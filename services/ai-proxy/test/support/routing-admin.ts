/**
 * Console calls the routing tests share: providers pointing at fakes, models with routes, gateway settings, and a
 * probe that waits until every ai-proxy replica runs with the settings just saved.
 */
import type { ConsoleClient, FakeUpstream } from "@thinkwatch/testkit";
import { waitFor } from "@thinkwatch/testkit";

export interface RouteSpec {
  providerId: string;
  upstreamModel?: string;
  weight?: number;
  priority?: number;
  enabled?: boolean;
  rpmLimit?: number | null;
  tpmLimit?: number | null;
}

export interface CreatedModel {
  id: string;
  model: string;
  routes: Array<{ id: string; providerId: string; upstreamModel: string; weight: number; priority: number }>;
}

export async function addFakeProvider(admin: ConsoleClient, name: string, fake: FakeUpstream): Promise<string> {
  const created = await admin.call<{ provider: { id: string } }>("POST", "/api/admin/providers", {
    name,
    kind: fake.kind,
    baseUrl: fake.baseUrl,
    apiKey: fake.apiKey,
  });
  if (created.status !== 201) throw new Error(`provider ${name} refused: ${JSON.stringify(created.body)}`);
  return created.body.provider.id;
}

export async function createModel(admin: ConsoleClient, model: string, routes: RouteSpec[]): Promise<CreatedModel> {
  const created = await admin.call<{ model: CreatedModel }>("POST", "/api/admin/models", { model, routes });
  if (created.status !== 201) throw new Error(`model ${model} refused: ${JSON.stringify(created.body)}`);
  return created.body.model;
}

export async function putGatewaySettings(admin: ConsoleClient, values: Record<string, unknown>): Promise<void> {
  const saved = await admin.call("PUT", "/api/admin/settings/gateway", values);
  if (saved.status !== 200) throw new Error(`settings refused: ${JSON.stringify(saved.body)}`);
}

/** An OpenAI chat call with fetch, whole answer read: status, parsed body, headers. */
export async function chat(gatewayUrl: string, key: string, model: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], ...extra }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json: json as Record<string, unknown>, text, headers: response.headers };
}

/**
 * Waits until `gatewayUrl` retries `retries` times, which only the settings just saved allow: the probe model's
 * fake fails exactly that many times, so the call succeeds only with the new retry count in force.
 */
export async function waitForRetrySetting(
  gatewayUrl: string,
  key: string,
  probeModel: string,
  probe: FakeUpstream,
  retries: number,
): Promise<void> {
  await waitFor(
    async () => {
      probe.reset();
      // 429s: retried like 5xx, but they do not count against the probe route's breaker.
      probe.failNext(retries, { error: { status: 429 } });
      const answer = await chat(gatewayUrl, key, probeModel);
      return answer.status === 200;
    },
    { what: `${gatewayUrl} to retry ${retries} times (settings applied)`, timeoutMs: 20_000, intervalMs: 100 },
  );
  probe.reset();
}
