import { startInMemoryTracing } from "@thinkwatch/tracing/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { traceRequests } from "./trace-requests.js";

describe("HTTP request spans", () => {
  let tracing: Awaited<ReturnType<typeof startInMemoryTracing>>;
  beforeAll(async () => {
    tracing = await startInMemoryTracing();
  });
  afterAll(() => tracing.shutdown());

  const app = new Hono();
  app.use("*", traceRequests("http.test"));
  app.use("/api/*", (_c, next) => next());
  app.get("/api/keys/:id", (c) => c.json({ id: c.req.param("id") }));
  app.post("/api/keys", (c) => c.json({}, 500));
  // A catch-all after the routes, as the console's single-page-app fallback: it matches every path.
  app.get("/*", (c) => c.text("spa"));

  it.each([
    ["GET", "/api/keys/42", "GET /api/keys/:id", 200],
    ["POST", "/api/keys", "POST /api/keys", 500],
    ["GET", "/settings/profile", "GET /*", 200],
  ])("%s %s is named for the route that answered", async (method, path, name, status) => {
    const before = tracing.spans().length;
    const response = await app.request(path, { method });
    expect(response.status).toBe(status);
    // The SDK's simple processor exports a span once the resource is settled, not always within end().
    const span = await vi.waitFor(() => {
      const exported = tracing.spans()[before];
      if (exported === undefined) throw new Error("no span yet");
      return exported;
    });
    expect(span?.name).toBe(name);
    expect(span?.attributes).toMatchObject({
      "http.route": name.split(" ")[1],
      "http.response.status_code": status,
      "url.path": path,
    });
    expect(span?.status.code).toBe(status >= 500 ? 2 : 0);
  });
});
