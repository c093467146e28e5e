// drizzle-kit: `npx drizzle-kit generate --config libs/db/drizzle.config.ts` writes SQL into migrations/postgres.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: [
    "./libs/db/src/schema/admin-api.ts",
    "./libs/db/src/schema/key-service.ts",
    "./libs/db/src/schema/quota.ts",
    "./libs/db/src/schema/model-pricing.ts",
  ],
  out: "./migrations/postgres",
});
