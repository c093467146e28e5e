import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createMountDispatch, type RootRoute } from "./mount-dispatch.js";

/** A root app as a listener builds it, which says whether it was dispatched through (the header). */
function listener(mounts: Array<{ paths: string[]; name: string }>) {
  const root = new Hono();
  const routes: RootRoute[] = [];
  root.get("/health/live", (c) => c.text("live"));
  routes.push({ path: "/health/live" });
  for (const { paths, name } of mounts) {
    const app = new Hono();
    app.all("*", (c) => c.text(`${name} ${c.req.method} ${c.req.path}`));
    for (const path of paths) {
      root.all(path, async (c) => {
        const response = await app.fetch(c.req.raw, c.env);
        response.headers.set("x-via-root", "1");
        return response;
      });
      routes.push({ path, app });
    }
  }
  root.notFound((c) => c.text("root 404", 404));
  return createMountDispatch(root, routes);
}

async function ask(fetch: ReturnType<typeof listener>, method: string, path: string) {
  const response = await fetch(new Request(`http://localhost${path}`, { method }));
  return { status: response.status, text: await response.text(), viaRoot: response.headers.get("x-via-root") === "1" };
}

describe("the listener's mount dispatch", () => {
  const gateway = listener([{ paths: ["/v1/*", "/v1beta/*"], name: "gateway" }]);
  const consoleApi = listener([{ paths: ["/api/*", "/", "/*"], name: "admin" }]);
  const mcp = listener([{ paths: ["/mcp", "/mcp/*", "/.well-known/:doc{.+}"], name: "mcp" }]);

  it.each([
    // [fetch, method, path, answer, through the root app]
    [gateway, "POST", "/v1/chat/completions", "gateway POST /v1/chat/completions", false],
    [gateway, "POST", "/v1beta/models/gemini:generateContent", "gateway POST /v1beta/models/gemini:generateContent", false],
    [gateway, "GET", "/v1/models?x=1", "gateway GET /v1/models", false],
    [gateway, "GET", "/v1", "gateway GET /v1", true],
    [gateway, "HEAD", "/v1/models", "", true],
    [gateway, "GET", "/health/live", "live", false],
    [gateway, "GET", "/nowhere", "root 404", false],
    [consoleApi, "GET", "/health/live", "live", false],
    [consoleApi, "POST", "/health/live", "admin POST /health/live", true],
    [consoleApi, "GET", "/api/users", "admin GET /api/users", false],
    [consoleApi, "GET", "/", "admin GET /", true],
    [consoleApi, "GET", "/settings", "admin GET /settings", false],
    [mcp, "POST", "/mcp", "mcp POST /mcp", true],
    [mcp, "POST", "/mcp/session", "mcp POST /mcp/session", false],
    [mcp, "GET", "/.well-known/oauth", "mcp GET /.well-known/oauth", true],
  ] as const)("%#: %s %s", async (fetch, method, path, text, viaRoot) => {
    expect(await ask(fetch, method, path)).toMatchObject({ text, viaRoot });
  });

  it("passes the env on to the mounted app", async () => {
    const root = new Hono();
    const app = new Hono();
    app.get("*", (c) => c.text((c.env as { tag: string }).tag));
    const fetch = createMountDispatch(root, [{ path: "/v1/*", app }]);
    const response = await fetch(new Request("http://localhost/v1/x"), { tag: "node" });
    expect(await response.text()).toBe("node");
  });
});
