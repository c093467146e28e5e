/**
 * Deactivation end to end: a signed-in developer with a working key is deactivated on the console; their next console
 * call is 401 and their key gets 401 at the gateway (official OpenAI client) within 1 s — admin-api's UsersChanged
 * broadcast, acted on by key-service, reaching the edge. Reactivation brings the key back. Demotion to a role
 * that allows no API keys (viewer) does the same to the key (and an admin cannot create one for them meanwhile), and
 * promotion back to developer restores it.
 */
import { type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, login } from "./support/console-http.js";

const DEV = { email: "gwen@example.com", password: "Gateway-dev-2024" };
let scenario: GatewayScenario;
let devToken: string;
let devId: string;
let client: OpenAI;

const ask = () => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
const status = async () =>
  ask().then(
    () => 200,
    (caught: unknown) => (caught instanceof OpenAI.APIError ? (caught.status ?? 0) : 0),
  );

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai"], services: ["key-service", "quota", "admin-api", "ai-proxy"] });
  await scenario.addProvider("openai");
  const url = scenario.fleet.consoleUrl;
  const created = await call<{ user: { id: string } }>(url, "POST", "/api/admin/users", {
    token: scenario.admin.token,
    body: { ...DEV, role: "developer" },
  });
  devId = created.body.user.id;
  devToken = (await login(url, DEV.email, DEV.password)).accessToken;
  const key = await call<{ plaintext: string }>(url, "POST", "/api/keys", { token: devToken, body: { name: "gwen-laptop" } });
  expect(key.status).toBe(201);
  client = new OpenAI({ apiKey: key.body.plaintext, baseURL: `${scenario.fleet.gatewayUrl}/v1`, maxRetries: 0 });
  await waitFor(async () => (await status()) === 200, { what: "the key working at the gateway" });
});

afterAll(async () => {
  await scenario?.close();
});

describe("deactivating a user", () => {
  it("turns their console session and their key to 401 within a second, and reactivation restores the key", async () => {
    const url = scenario.fleet.consoleUrl;
    const deactivated = await call(url, "PATCH", `/api/admin/users/${devId}`, {
      token: scenario.admin.token,
      body: { active: false },
    });
    expect(deactivated.status).toBe(200);
    expect((await call(url, "GET", "/api/keys", { token: devToken })).status).toBe(401);
    await waitFor(async () => (await status()) === 401, {
      timeoutMs: 1000,
      intervalMs: 20,
      what: "the key refused at the gateway",
    });
    const refused = await ask().catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);

    const reactivated = await call(url, "PATCH", `/api/admin/users/${devId}`, {
      token: scenario.admin.token,
      body: { active: true },
    });
    expect(reactivated.status).toBe(200);
    await waitFor(async () => (await status()) === 200, { timeoutMs: 5000, what: "the key working again" });
  });

  it("turns a demoted user's key to 401 when their new role allows no keys, and re-promotion restores it", async () => {
    const url = scenario.fleet.consoleUrl;
    await waitFor(async () => (await status()) === 200, { what: "the key working before the demotion" });
    const toViewer = await call(url, "PATCH", `/api/admin/users/${devId}`, {
      token: scenario.admin.token,
      body: { role: "viewer" },
    });
    expect(toViewer.status).toBe(200);
    // Nor can an admin hand a viewer a new key: it would work until the next role change.
    const forViewer = await call<{ error: { code: string; message: string } }>(url, "POST", "/api/keys", {
      token: scenario.admin.token,
      body: { name: "for-a-viewer", userId: devId },
    });
    expect(forViewer.status).toBe(409);
    expect(forViewer.body.error).toMatchObject({
      code: "conflict",
      message: "this user may not hold API keys: they are inactive or no role grants api_keys:write",
    });
    await waitFor(async () => (await status()) === 401, { timeoutMs: 2000, intervalMs: 20, what: "the key refused" });
    const refused = await ask().catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).message).toContain(
      "this API key is suspended: its owner is deactivated or no longer allowed to use API keys",
    );

    const toDeveloper = await call(url, "PATCH", `/api/admin/users/${devId}`, {
      token: scenario.admin.token,
      body: { role: "developer" },
    });
    expect(toDeveloper.status).toBe(200);
    await waitFor(async () => (await status()) === 200, { timeoutMs: 5000, what: "the key working again" });
  });
});
