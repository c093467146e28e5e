// Build what `npm start` runs: the fleet bundle (esbuild, well under a second).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export function buildFleet(root) {
  const result = spawnSync(process.execPath, [resolve(root, "scripts/build-service.mjs"), resolve(root, "services/fleet")], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("building services/fleet failed; see the output above");
}
