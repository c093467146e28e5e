/**
 * Runs once before the test run: bundles the fleet entry (the same build `npm start` runs) so integration tests
 * spawn the code under test, never a stale build.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export default function setup(): void {
  const root = resolve(import.meta.dirname, "../../..");
  execFileSync(process.execPath, [resolve(root, "scripts/build-service.mjs"), resolve(root, "services/fleet")], {
    stdio: "inherit",
  });
}
