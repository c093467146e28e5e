/**
 * Reading V8 CPU profiles (`--cpu-prof`): self time per sampled frame, optionally only inside time windows, and the
 * frames of the fleet bundle mapped back to their source files. A profile's timestamps are microseconds of the
 * monotonic clock, the one `process.hrtime` reads, so windows taken by the benchmark process select the samples of
 * another process directly.
 */
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { REPO_ROOT } from "./_procs.js";

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** A span of the monotonic clock, in microseconds. */
export type Window = readonly [startUs: number, endUs: number];

export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Calls `visit` with the leaf frame and the duration (µs) of every non-idle sample inside one of the windows (every
 * sample when `windows` is null). Returns the time sampled in the windows, idle included.
 */
export function forEachSample(
  file: string,
  windows: readonly Window[] | null,
  visit: (frame: CallFrame, us: number) => void,
): { sampledUs: number } {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  let at = profile.startTime;
  let sampledUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (windows !== null && !windows.some(([start, end]) => at >= start && at <= end)) return;
    sampledUs += delta;
    const frame = frames.get(id);
    if (frame === undefined || frame.functionName === "(idle)") return;
    visit(frame, delta);
  });
  return { sampledUs };
}

const BUNDLE = "services/fleet/dist/main.js";
let bundleMap: SourceMap | null | undefined;

/** The source file (relative to the repository) of a frame in the fleet bundle; null for any other frame. */
export function fleetSourceOf(frame: CallFrame): string | null {
  if (!frame.url.endsWith(BUNDLE)) return null;
  if (bundleMap === undefined) {
    try {
      bundleMap = new SourceMap(JSON.parse(readFileSync(`${REPO_ROOT}/${BUNDLE}.map`, "utf8")));
    } catch {
      bundleMap = null;
    }
  }
  const entry = bundleMap?.findEntry(frame.lineNumber, frame.columnNumber);
  const source = entry !== undefined && "originalSource" in entry ? entry.originalSource : undefined;
  if (source === undefined) return "(fleet bundle)";
  return relative(REPO_ROOT, resolve(REPO_ROOT, dirname(BUNDLE), source.replace(/^file:\/\//, "")));
}

/** A frame as a reader looks for it: its function and where it is (the source file for the fleet bundle's). */
export function frameLabel(frame: CallFrame): string {
  const name = frame.functionName || "(anonymous)";
  if (frame.url === "") return name;
  const source = fleetSourceOf(frame);
  if (source !== null) return `${name} ${source}`;
  const owner = ownerOf(frame);
  const at = frame.url.lastIndexOf("/node_modules/");
  const where = at >= 0 ? frame.url.slice(at + "/node_modules/".length) : owner;
  return `${name} ${where}:${frame.lineNumber + 1}`;
}

/** A frame's package (node_modules), Node module (node:…) or, for native frames, its name. */
export function ownerOf(frame: CallFrame): string {
  const { url } = frame;
  if (url === "") return frame.functionName || "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return pkg[1] as string;
  if (url.startsWith("node:")) return url;
  return url.replace(/^file:\/\//, "").replace(`${REPO_ROOT}/`, "");
}
