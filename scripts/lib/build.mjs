// Build what `npm start` runs: the fleet bundle (esbuild, well under a second) and the console SPA (vite).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export function buildFleet(root) {
  const result = spawnSync(process.execPath, [resolve(root, "scripts/build-service.mjs"), resolve(root, "services/fleet")], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("building services/fleet failed; see the output above");
}

export function buildConsoleWeb(root) {
  const result = spawnSync("npm", ["run", "build", "-w", "console-web"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error("building console-web failed; see the output above");
}
