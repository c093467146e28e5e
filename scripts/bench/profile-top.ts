/**
 * `npm run bench -- profile-top [file.cpuprofile…]`: the top costs of CPU profiles (by default the newest one in
 * bench/profiles/, which `npm run bench -- lanes --profile` writes): self time per function, and the share of
 * samples spent idle, in GC and in the program. Prints a Markdown table.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { REPO_ROOT } from "./_procs.js";
import { formatTable } from "./_table.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

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
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) return;
    const where = frame.url === "" ? "" : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName || "(anonymous)"}${where}`;
    self.set(key, (self.get(key) ?? 0) + delta);
  });
  const busy = total - (self.get("(idle)") ?? 0);
  const rows = [...self.entries()]
    .filter(([name]) => name !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([name, micros]) => [name, (micros / 1000).toFixed(0), `${((micros / busy) * 100).toFixed(1)} %`]);
  console.log(`${basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${((busy / total) * 100).toFixed(0)} % busy`);
  console.log(formatTable(["function (self time)", "ms", "of busy"], rows));
}

function shortUrl(url: string): string {
  const at = url.lastIndexOf("/node_modules/");
  if (at >= 0) return url.slice(at + "/node_modules/".length);
  return url.replace(/^file:\/\//, "").replace(`${REPO_ROOT}/`, "");
}
