// Install npm dependencies when they are missing or the lock file changed since the last install, so the two
// commands work on a fresh clone and stay fast afterwards. Plain Node: this runs before node_modules exists.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const RDKAFKA_HEADER = "/usr/include/librdkafka/rdkafka.h";

function apt(args) {
  return spawnSync("apt-get", [...args], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
}

/**
 * node-rdkafka (the forwarder's Kafka client) compiles librdkafka during `npm ci`: ~2.5 min from its bundled
 * sources, ~30 s against the system's librdkafka. Install Debian's librdkafka-dev when we can (root, apt-get) and
 * build against it; otherwise fall back to the bundled build, which works everywhere, only slower.
 */
function kafkaBuildEnv(log) {
  if (existsSync(RDKAFKA_HEADER)) return { BUILD_LIBRDKAFKA: "0" };
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) return {};
  log("installing librdkafka-dev (apt-get) so node-rdkafka builds against it…");
  const install = ["install", "-y", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=120", "librdkafka-dev"];
  let result = apt(install);
  if (result.status !== 0) {
    // A fresh image has no package lists yet.
    apt(["update"]);
    result = apt(install);
  }
  if (result.status === 0 && existsSync(RDKAFKA_HEADER)) return { BUILD_LIBRDKAFKA: "0" };
  log("librdkafka-dev is not installable here; node-rdkafka builds its bundled librdkafka (slower)");
  return {};
}

export function ensureDependencies(root, log) {
  const lockPath = resolve(root, "package-lock.json");
  const stampPath = resolve(root, "node_modules/.thinkwatch-lock-hash");
  const lockHash = existsSync(lockPath) ? createHash("sha256").update(readFileSync(lockPath)).digest("hex") : "no-lock";
  if (existsSync(stampPath) && readFileSync(stampPath, "utf8") === lockHash) return;
  const command = existsSync(lockPath) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"];
  const env = { ...process.env, ...kafkaBuildEnv(log) };
  log(`installing npm dependencies (npm ${command[0]})…`);
  const started = Date.now();
  const result = spawnSync("npm", command, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`npm ${command[0]} failed (exit ${result.status}); see the output above`);
  writeFileSync(stampPath, lockHash);
  log(`dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
