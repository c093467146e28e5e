/**
 * The refresh token's cookie: HttpOnly (scripts never see it), SameSite=Strict (never sent cross-site), scoped to
 * /api/auth (only the refresh and logout calls carry it), Secure whenever the console is reached over TLS.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

export const REFRESH_COOKIE = "tw_refresh";
const PATH = "/api/auth";

function overTls(c: Context): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  // Behind a TLS-terminating proxy. Believing a client that claims https only makes the cookie stricter.
  return (c.req.header("x-forwarded-proto") ?? "").split(",")[0]?.trim().toLowerCase() === "https";
}

export function setRefreshCookie(c: Context, token: string, maxAgeSeconds: number): void {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: overTls(c),
    sameSite: "Strict",
    path: PATH,
    maxAge: maxAgeSeconds,
  });
}

export function clearRefreshCookie(c: Context): void {
  deleteCookie(c, REFRESH_COOKIE, { path: PATH, httpOnly: true, secure: overTls(c), sameSite: "Strict" });
}

export function refreshCookieOf(c: Context): string | null {
  const value = getCookie(c, REFRESH_COOKIE);
  return value !== undefined && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
}
