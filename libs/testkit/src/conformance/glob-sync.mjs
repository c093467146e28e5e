// The one glob the conformance CLI uses (`**/<file name>` under a folder), for Node versions without fs.globSync.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

export function globSync(pattern, options = {}) {
  const match = /^\*\*\/([^*/]+)$/.exec(pattern);
  if (match === null) throw new Error(`globSync stand-in: unsupported pattern ${pattern}`);
  const cwd = options.cwd ?? process.cwd();
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === match[1]) found.push(relative(cwd, path));
    }
  };
  walk(cwd);
  return found;
}
