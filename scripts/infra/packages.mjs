// Finds server binaries and installs missing ones from Debian's packages (apt-get), running `apt-get update` at most
// once per process and only when an install failed for lack of package lists.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { firstLine, InfraError } from "./infra-error.mjs";

// Server binaries live in sbin or in versioned folders that are not always on PATH (non-login root shells, CI).
const EXTRA_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin"];

/** PostgreSQL's server tools: /usr/lib/postgresql/<major>/bin, newest major first. */
export function postgresBinDirs() {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, "bin"));
}

/** Absolute path of an executable, or undefined. */
export function findBinary(name, extraDirs = []) {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...EXTRA_DIRS, ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

let listsUpdated = false;

function aptInstall(pkg) {
  return spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=120", pkg], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Returns the binary's path, installing `pkg` with apt-get first when it is missing.
 * @param {{ component: string, binary: string, pkg: string, extraDirs?: () => string[], log: (line: string) => void }} options
 */
export function ensureBinary({ component, binary, pkg, extraDirs = () => [], log }) {
  const found = findBinary(binary, extraDirs());
  if (found !== undefined) return found;
  if (findBinary("apt-get") === undefined) {
    throw new InfraError(
      component,
      `${binary} is not installed and this machine has no apt-get`,
      `Install ${pkg} (or the equivalent for your OS) yourself`,
    );
  }
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new InfraError(
      component,
      `${binary} is not installed`,
      `Run "sudo apt-get install -y ${pkg}" or run this script as root`,
    );
  }
  log(`${component.padEnd(11)}installing Debian package ${pkg} …`);
  let result = aptInstall(pkg);
  const output = `${result.stdout ?? ""}\n${result.stderr ?? ""}`;
  if (
    result.status !== 0 &&
    !listsUpdated &&
    /Unable to locate package|has no installation candidate|404\s+Not Found|Failed to fetch/i.test(output)
  ) {
    listsUpdated = true;
    execFileSync("apt-get", ["update"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    result = aptInstall(pkg);
  }
  if (result.status !== 0) {
    const reason = firstLine(
      (result.stderr ?? "")
        .split("\n")
        .filter((line) => /^E:/.test(line))
        .join("\n") ||
        result.stderr ||
        "",
    );
    throw new InfraError(
      component,
      `apt-get install ${pkg} failed (${reason || `exit ${result.status}`})`,
      `Install ${pkg} by hand and run again`,
    );
  }
  const installed = findBinary(binary, extraDirs());
  if (installed === undefined)
    throw new InfraError(component, `${pkg} installed but ${binary} is still not found`, `Check the ${pkg} package contents`);
  return installed;
}
