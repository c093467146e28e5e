/**
 * A minimal browser for redirect-based logins in tests: follows redirects across hosts, keeps cookies per host, and
 * can stop before a URL so the test may inspect or tamper with it (the SSO callback, for instance).
 */
export interface BrowserStep {
  status: number;
  location: string | null;
  url: string;
  body: string;
}

export interface CookieBrowser {
  /** GET `url` and follow redirects until a non-redirect answer or a URL starting with `stopBefore`. */
  navigate(url: string, stopBefore?: string): Promise<BrowserStep>;
  cookies(host: string): Map<string, string>;
}

export function createCookieBrowser(): CookieBrowser {
  const jars = new Map<string, Map<string, string>>();
  const jar = (host: string) => {
    let found = jars.get(host);
    if (found === undefined) {
      found = new Map();
      jars.set(host, found);
    }
    return found;
  };
  const store = (host: string, headers: Headers) => {
    for (const line of headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some(
        (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()),
      );
      if (expired || value === "") jar(host).delete(name);
      else jar(host).set(name, value);
    }
  };
  return {
    async navigate(start, stopBefore) {
      let url = start;
      for (let hop = 0; hop < 20; hop += 1) {
        const target = new URL(url);
        const cookie = [...jar(target.host).entries()].map(([k, v]) => `${k}=${v}`).join("; ");
        const response = await fetch(url, { redirect: "manual", headers: cookie === "" ? {} : { cookie } });
        store(target.host, response.headers);
        const location = response.headers.get("location");
        const body = await response.text();
        if (response.status < 300 || response.status >= 400 || location === null) {
          return { status: response.status, location, url, body };
        }
        const nextUrl = new URL(location, url).href;
        if (stopBefore !== undefined && nextUrl.startsWith(stopBefore))
          return { status: response.status, location: nextUrl, url, body };
        url = nextUrl;
      }
      throw new Error(`too many redirects from ${start}`);
    },
    cookies: (host) => jar(host),
  };
}
