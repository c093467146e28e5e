/**
 * HTTP listeners of one process. Services mount their apps on a named listener (gateway :3000, console :3001); each
 * listener also serves /health/live and /health/ready for the services in this process. A process with no HTTP
 * service still gets a health listener so Kubernetes can probe it. With metrics on, each listener serves /metrics too.
 */
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Logger } from "@thinkwatch/log";
import { type Handler, Hono } from "hono";
import { createMountDispatch, type RootRoute } from "./mount-dispatch.js";
import type { HttpMount } from "./service.js";

export type ListenerName = "gateway" | "console" | "mcp" | "health";

export interface ReadinessReport {
  ready: boolean;
  services: Record<string, boolean>;
}

export interface ListenerSpec {
  name: ListenerName;
  port: number;
  mounts: HttpMount[];
  /** GET /metrics when metrics are enabled; without it /metrics answers 404 on every listener. */
  metrics?: ((request: Request) => Promise<Response>) | undefined;
}

export interface StartedListener {
  name: ListenerName;
  url: string;
  close(deadlineMs: number): Promise<void>;
}

export async function startListener(
  spec: ListenerSpec,
  host: string,
  readiness: () => Promise<ReadinessReport>,
  log: Logger,
): Promise<StartedListener> {
  const root = new Hono();
  // Every root route is listed for the mount dispatch too, in the order Hono will try them.
  const routes: RootRoute[] = [];
  const own = (path: string, handler: Handler) => {
    root.get(path, handler);
    routes.push({ path });
  };
  own("/health/live", (c) => c.json({ status: "ok" }));
  own("/health/ready", async (c) => {
    const report = await readiness();
    return c.json({ status: report.ready ? "ready" : "not_ready", services: report.services }, report.ready ? 200 : 503);
  });
  const scrape = spec.metrics;
  own("/metrics", (c) => (scrape === undefined ? c.notFound() : scrape(c.req.raw)));
  for (const mount of spec.mounts) {
    for (const path of mount.paths) {
      root.all(path, (c) => mount.app.fetch(c.req.raw, c.env));
      routes.push({ path, app: mount.app });
    }
  }
  root.notFound((c) =>
    c.json(
      {
        error: {
          code: "not_found",
          message: `no route for ${c.req.method} ${c.req.path}`,
          requestId: c.res.headers.get("x-request-id") ?? randomUUID(),
        },
      },
      404,
    ),
  );

  const server = await new Promise<Server>((resolve, reject) => {
    const fetch = createMountDispatch(root, routes);
    const created = serve({ fetch, port: spec.port, hostname: host }, () => resolve(created as Server)) as Server;
    created.once("error", reject);
  });
  // Long streams must not be cut by Node's default timeouts; idle keep-alive sockets close after 65 s (above most LBs).
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  const url = `http://${shownHost}:${address.port}`;
  log.info({ listener: spec.name, url }, "listening");

  return {
    name: spec.name,
    url,
    async close(deadlineMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}
