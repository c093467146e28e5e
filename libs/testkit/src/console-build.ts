/**
 * A fresh production build of console-web for browser tests, in a temporary folder (outside console-web/dist, so a
 * test never serves a stale SPA or clobbers a developer's build). Start the fleet with `CONSOLE_WEB_DIR: build.dir`.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./test-environment.js";

export interface ConsoleBuild {
  dir: string;
  remove(): void;
}

export async function buildConsoleWeb(): Promise<ConsoleBuild> {
  const dir = mkdtempSync(join(tmpdir(), "tw-console-build-"));
  await promisify(execFile)("npm", ["run", "build", "-w", "console-web", "--", "--outDir", dir, "--emptyOutDir"], {
    cwd: REPO_ROOT,
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
