/**
 * `npm run bench -- profile-top [file.cpuprofile…]`: the top costs of CPU profiles (by default the newest one in
 * bench/profiles/, which `npm run bench -- lanes --profile` writes): self time per function, and the share of
 * samples spent idle, in GC and in the program; the fleet bundle's functions are named with their source file. Prints a
 * Markdown table.
 */
import { readdirSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { forEachSample, frameLabel } from "./_cpu-profile.js";
import { REPO_ROOT } from "./_procs.js";
import { formatTable } from "./_table.js";

const dir = resolve(REPO_ROOT, "bench/profiles");
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : readdirSync(dir)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => resolve(dir, f))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
        .slice(0, 1);
if (files.length === 0) {
  console.error("no profile: run `npm run bench -- lanes --profile` first");
  process.exit(1);
}

for (const file of files) {
  const self = new Map<string, number>();
  let busy = 0;
  const { sampledUs } = forEachSample(file, null, (frame, us) => {
    const key = frameLabel(frame);
    self.set(key, (self.get(key) ?? 0) + us);
    busy += us;
  });
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([name, micros]) => [name, (micros / 1000).toFixed(0), `${((micros / busy) * 100).toFixed(1)} %`]);
  console.log(`${basename(file)}: ${(sampledUs / 1e6).toFixed(1)} s sampled, ${((busy / sampledUs) * 100).toFixed(0)} % busy`);
  console.log(formatTable(["function (self time)", "ms", "of busy"], rows));
}
