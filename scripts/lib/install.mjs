// Install npm dependencies when they are missing or the lock file changed since the last install, so the two
// commands work on a fresh clone and stay fast afterwards. Plain Node: this runs before node_modules exists.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

export function ensureDependencies(root, log) {
  const lockPath = resolve(root, "package-lock.json");
  const stampPath = resolve(root, "node_modules/.thinkwatch-lock-hash");
  const lockHash = existsSync(lockPath) ? createHash("sha256").update(readFileSync(lockPath)).digest("hex") : "no-lock";
  if (existsSync(stampPath) && readFileSync(stampPath, "utf8") === lockHash) return;
  const command = existsSync(lockPath) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"];
  log(`installing npm dependencies (npm ${command[0]})…`);
  const started = Date.now();
  const result = spawnSync("npm", command, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`npm ${command[0]} failed (exit ${result.status}); see the output above`);
  writeFileSync(stampPath, lockHash);
  log(`dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
