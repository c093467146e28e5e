import { defineConfig } from "vitest/config";

// One vitest run over every workspace: unit tests beside the code, integration tests under services/*/test.
export default defineConfig({
  test: {
    include: [
      "proto/**/*.test.ts",
      "libs/*/src/**/*.test.ts",
      "libs/*/test/**/*.test.ts",
      "services/*/src/**/*.test.ts",
      "services/*/test/**/*.test.ts",
      "console-web/src/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ["libs/testkit/src/global-setup.ts"],
    pool: "forks",
    // Integration tests drive real fleets, servers and browsers on a 2-core machine, and a few depend on timing under
    // load (a background settle, a 1-second window). One retry absorbs a scheduler hiccup; a real failure fails twice.
    retry: 1,
  },
});
