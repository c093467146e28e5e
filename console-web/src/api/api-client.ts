/** A small JSON client for admin-api's `/api/*` (same origin), adding the bearer token and turning failures into ApiError. */
import { networkError, parseApiError } from "./api-error";

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string, body?: unknown): Promise<T>;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiClientOptions {
  /** The current access token, read per request so sign-in and sign-out take effect immediately. */
  getToken: () => string | null;
  /** Called when a request that carried a token got 401: the session is over (expired or user disabled). */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    const token = options.getToken();
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";

    let response: Response;
    try {
      response = await doFetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    } catch (cause) {
      throw networkError(cause);
    }
    const text = await response.text();
    if (!response.ok) {
      // A 401 without a token is a failed login, not an ended session.
      if (response.status === 401 && token !== null) options.onUnauthorized?.();
      throw parseApiError(response.status, text, response.headers.get("x-request-id"));
    }
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  return {
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
    put: (path, body) => request("PUT", path, body),
    patch: (path, body) => request("PATCH", path, body),
    delete: (path, body) => request("DELETE", path, body),
  };
}
