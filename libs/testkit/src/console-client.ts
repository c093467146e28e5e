/** A thin client for the console API as tests use it: JSON in and out, the bearer token remembered. */
export interface ConsoleResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ConsoleClient {
  token: string | null;
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ConsoleResponse<T>>;
  /** Run the setup wizard's API and keep the super admin's token. */
  initialize(admin?: { email: string; password: string }): Promise<{ userId: string }>;
}

export const DEFAULT_ADMIN = { email: "admin@example.com", password: "Sup3r-secret-pass" };

export function createConsoleClient(baseUrl: string): ConsoleClient {
  const client: ConsoleClient = {
    token: null,
    async call(method, path, body) {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers["content-type"] = "application/json";
      if (client.token !== null) headers.authorization = `Bearer ${client.token}`;
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text === "" ? {} : JSON.parse(text)) as never, headers: response.headers };
    },
    async initialize(admin = DEFAULT_ADMIN) {
      const result = await client.call<{ accessToken: string; user: { id: string } }>("POST", "/api/setup/initialize", {
        admin: { ...admin, displayName: "Admin" },
        siteName: "Test site",
      });
      if (result.status !== 201) throw new Error(`setup failed: ${result.status} ${JSON.stringify(result.body)}`);
      client.token = result.body.accessToken;
      return { userId: result.body.user.id };
    },
  };
  return client;
}
