/**
 * A real Chromium for browser tests: Debian's package, installed on first use (playwright's own browser downloads are
 * not reachable here), driven through playwright-core.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Headless without a sandbox (tests run as root), no GPU, and no background calls to Google services. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] as const;

// Test files run in parallel processes; apt-get refuses to run twice at once, so installs take turns.
const INSTALL_LOCK = "/tmp/thinkwatch-chromium-install.lock";

function apt(args: string[]): void {
  execFileSync("flock", [INSTALL_LOCK, "apt-get", ...args], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    timeout: 600_000,
  });
}

/** The Chromium binary's path, installing the Debian package first when it is missing. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const install = ["install", "-y", "--no-install-recommends", "chromium"];
  try {
    apt(install);
  } catch {
    // A fresh image has no package lists, so apt cannot find the package yet: fetch them once and try again.
    apt(["update"]);
    apt(install);
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`installed the chromium package but ${CHROMIUM_PATH} does not exist`);
  return CHROMIUM_PATH;
}

/** A headless Chromium; the caller closes it. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), headless: true, args: [...CHROMIUM_ARGS] });
}
