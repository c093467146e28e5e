import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { FLEET_NODE_FLAGS, REPO_ROOT } from "@thinkwatch/testkit";
import { describe, expect, it } from "vitest";

describe("the fleet's Node flags", () => {
  it("are the same in the image's entrypoint as for npm start, the tests and the benchmarks", () => {
    const dockerfile = readFileSync(resolve(REPO_ROOT, "k8s/image/Dockerfile"), "utf8");
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entrypoint).toBeDefined();
    expect(JSON.parse(entrypoint as string)).toEqual(["node", ...FLEET_NODE_FLAGS, "services/fleet/dist/main.js"]);
    // A young generation of 64 MB semi-spaces: the gateway's per-request garbage dies there (README, Deployment modes).
    expect(FLEET_NODE_FLAGS).toContain("--max-semi-space-size=64");
  });
});
