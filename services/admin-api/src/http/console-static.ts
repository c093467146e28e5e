/**
 * Serves the console SPA (console-web/dist) on the console port: files by path, index.html for every other non-API
 * path so client-side routes like /setup load. The build is small, so it is read once at startup and held in memory.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import type { AppEnv } from "@thinkwatch/http";
import type { Hono } from "hono";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  immutable: boolean;
}

function loadFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const path = `/${relative(dir, full).split("\\").join("/")}`;
        files.set(path, {
          body: new Uint8Array(readFileSync(full)),
          type: CONTENT_TYPES[extname(name)] ?? "application/octet-stream",
          // Vite puts content hashes in asset names, so those may be cached for good.
          immutable: path.startsWith("/assets/"),
        });
      }
    }
  };
  walk(dir);
  return files;
}

export function registerConsoleStatic(app: Hono<AppEnv>, distDir: string): boolean {
  const files = existsSync(join(distDir, "index.html")) ? loadFiles(distDir) : new Map<string, StaticFile>();
  const index = files.get("/index.html");
  app.get("*", (c) => {
    if (c.req.path.startsWith("/api/")) return c.notFound();
    const file = files.get(c.req.path) ?? index;
    if (file === undefined) {
      return c.json(
        {
          error: {
            code: "not_found",
            message: "the console is not built; run `npm run build -w console-web`",
            requestId: c.get("requestId"),
          },
        },
        404,
      );
    }
    return c.body(file.body, 200, {
      "content-type": file.type,
      "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "content-security-policy":
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    });
  });
  return index !== undefined;
}
