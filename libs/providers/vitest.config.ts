import { defineConfig } from "vitest/config";

// This package's unit tests alone, without the root config's fleet bundling (they need no running services).
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["src/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
  },
});
