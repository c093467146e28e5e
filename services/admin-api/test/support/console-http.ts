/**
 * Console API calls as a browser makes them: bearer access token, the refresh cookie carried by hand, and an
 * optional X-Forwarded-For (which admin-api believes only from trusted proxies).
 */
export interface CallOptions {
  token?: string | null;
  body?: unknown;
  refreshCookie?: string | null;
  forwardedFor?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
  /** The refresh cookie the response set ("" when it cleared it), or null when it did not touch it. */
  refreshCookie: string | null;
  setCookie: string[];
}

export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  // As the console does: admin-api refuses cookie-carrying writes without its CSRF header.
  if (method !== "GET") headers["x-thinkwatch-csrf"] = "1";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.refreshCookie) headers.cookie = `tw_refresh=${options.refreshCookie}`;
  if (options.forwardedFor !== undefined) headers["x-forwarded-for"] = options.forwardedFor;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  const setCookie = response.headers.getSetCookie();
  const refresh = setCookie.find((line) => line.startsWith("tw_refresh="));
  return {
    status: response.status,
    body: (text === "" ? {} : JSON.parse(text)) as T,
    headers: response.headers,
    refreshCookie: refresh === undefined ? null : (refresh.slice("tw_refresh=".length).split(";")[0] ?? ""),
    setCookie,
  };
}

export interface LoggedIn {
  accessToken: string;
  refreshCookie: string;
  userId: string;
  sessionId: string;
}

export async function login(
  baseUrl: string,
  email: string,
  password: string,
  options: { forwardedFor?: string } = {},
): Promise<LoggedIn> {
  const result = await call<{ accessToken: string; user: { id: string }; sessionId: string }>(
    baseUrl,
    "POST",
    "/api/auth/login",
    {
      body: { email, password },
      ...options,
    },
  );
  if (result.status !== 200 || result.refreshCookie === null) {
    throw new Error(`login of ${email} failed: ${result.status} ${JSON.stringify(result.body)}`);
  }
  return {
    accessToken: result.body.accessToken,
    refreshCookie: result.refreshCookie,
    userId: result.body.user.id,
    sessionId: result.body.sessionId,
  };
}

export async function setupSuperAdmin(
  baseUrl: string,
  email = "root@example.com",
  password = "Sup3r-secret-pass",
): Promise<LoggedIn> {
  const result = await call<{ accessToken: string; user: { id: string }; sessionId: string }>(
    baseUrl,
    "POST",
    "/api/setup/initialize",
    {
      body: { admin: { email, password, displayName: "Root" } },
    },
  );
  if (result.status !== 201 || result.refreshCookie === null)
    throw new Error(`setup failed: ${result.status} ${JSON.stringify(result.body)}`);
  return {
    accessToken: result.body.accessToken,
    refreshCookie: result.refreshCookie,
    userId: result.body.user.id,
    sessionId: result.body.sessionId,
  };
}

/** Create a user with a password through the API (as `admin`) and return their id. */
export async function createUser(
  baseUrl: string,
  admin: string,
  user: { email: string; role: string; password: string },
): Promise<string> {
  const result = await call<{ user: { id: string } }>(baseUrl, "POST", "/api/admin/users", { token: admin, body: user });
  if (result.status !== 201) throw new Error(`creating ${user.email} failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.user.id;
}
