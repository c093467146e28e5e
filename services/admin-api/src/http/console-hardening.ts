/**
 * HTTP hardening of the console port, in front of every route: security headers on every response (the SPA's own
 * CSP is kept; API responses get one that allows nothing), HSTS when reached over TLS, the CORS allowlist from
 * CORS_ORIGINS, and CSRF protection — a state-changing request from a foreign origin is refused, and one that
 * carries cookies (the refresh cookie authenticates /api/auth/refresh and /logout) must also carry the
 * `X-ThinkWatch-CSRF` header, which a cross-site form cannot send and a cross-site script cannot send without a CORS
 * preflight that the allowlist refuses.
 */
import { AppError } from "@thinkwatch/errors";
import type { AppEnv } from "@thinkwatch/http";
import type { Hono } from "hono";
import { cors } from "hono/cors";

export const CSRF_HEADER = "x-thinkwatch-csrf";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** JSON needs no script, style, frame or form: an API response that a browser renders can do nothing. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Paths of the gateway port: they must not answer here (not even with the SPA's index.html). */
const GATEWAY_PREFIXES = ["/v1/", "/v1beta/", "/mcp", "/metrics", "/.well-known/oauth-protected-resource"];
/** The console's own pages that live under a gateway prefix (a reload or an OAuth redirect loads them directly). */
const CONSOLE_PAGES = ["/mcp/servers", "/mcp/tools"];

function isGatewayPath(path: string): boolean {
  if (CONSOLE_PAGES.some((page) => path === page || path.startsWith(`${page}/`))) return false;
  return GATEWAY_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, "") || path.startsWith(prefix));
}

export function parseOrigins(raw: string): string[] {
  return raw
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter(Boolean);
}

function overTls(url: URL, forwardedProto: string | undefined): boolean {
  // Browsers ignore HSTS received over plain http, so believing a forwarded "https" cannot weaken anything.
  return url.protocol === "https:" || (forwardedProto ?? "").split(",")[0]?.trim().toLowerCase() === "https";
}

export function registerConsoleHardening(app: Hono<AppEnv>, options: { corsOrigins: string[] }): void {
  const allowed = new Set(options.corsOrigins);

  app.use("*", async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set("x-content-type-options", "nosniff");
    headers.set("x-frame-options", "DENY");
    headers.set("referrer-policy", "no-referrer");
    headers.set("cross-origin-opener-policy", "same-origin");
    if (!headers.has("content-security-policy")) headers.set("content-security-policy", API_CSP);
    if (c.req.path.startsWith("/api/")) headers.set("cache-control", "no-store");
    if (overTls(new URL(c.req.url), c.req.header("x-forwarded-proto"))) {
      headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
    }
  });

  if (allowed.size > 0) {
    app.use(
      "/api/*",
      cors({
        origin: (origin) => (allowed.has(origin) ? origin : null),
        credentials: true,
        allowHeaders: ["content-type", "authorization", CSRF_HEADER, "x-request-id"],
        exposeHeaders: ["x-request-id", "retry-after"],
        maxAge: 600,
      }),
    );
  }

  app.use("/api/*", async (c, next) => {
    if (UNSAFE.has(c.req.method)) {
      const origin = c.req.header("origin");
      if (origin !== undefined && origin !== new URL(c.req.url).origin && !allowed.has(origin)) {
        throw new AppError("forbidden", `requests from the origin ${origin.slice(0, 200)} are not allowed`);
      }
      if (c.req.header("cookie") !== undefined && c.req.header(CSRF_HEADER) === undefined) {
        throw new AppError("forbidden", `a request that carries cookies must also send the ${CSRF_HEADER} header`);
      }
    }
    await next();
  });

  app.all("*", async (c, next) => {
    const path = c.req.path;
    if (isGatewayPath(path)) {
      throw new AppError("not_found", `${path} is served on the gateway port, not the console`);
    }
    await next();
  });

  app.notFound((c) => {
    throw new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`);
  });
}
