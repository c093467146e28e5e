import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
// TEMPORARY (fake-upstreams engineer): runs the fake-upstream and aws tests without the fleet globalSetup.
export default defineConfig({
  resolve: { alias: { "@thinkwatch/providers": fileURLToPath(new URL("../providers/src/aws/index.ts", import.meta.url)) } },
  test: {
    include: ["libs/providers/src/aws/**/*.test.ts", "libs/testkit/test/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
