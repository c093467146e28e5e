#!/usr/bin/env node
// Bundle a service's src/main.ts (with the workspace libs it imports) into dist/main.js; npm packages stay external.
// Run from a service folder (npm run build) or with the folder as the argument.
import { resolve } from "node:path";
import { build } from "esbuild";

const dir = resolve(process.argv[2] ?? process.cwd());

const externalizeNpm = {
  name: "externalize-npm",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("@thinkwatch/")) return undefined;
      return { path: args.path, external: true };
    });
  },
};

await build({
  entryPoints: [resolve(dir, "src/main.ts")],
  outfile: resolve(dir, "dist/main.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  plugins: [externalizeNpm],
});
