/** Builds the console SPA into dist/, which admin-api serves on :3001; `vite` (dev) proxies /api to a local admin-api. */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true },
  server: { proxy: { "/api": "http://127.0.0.1:3001" } },
});
