/** mcp-proxy on its own: `node dist/main.js` (microservices mode). */
import { runMain } from "@thinkwatch/lifecycle";
import { mcpProxyService } from "./service.js";

const fleet = await runMain({ available: [mcpProxyService], argv: process.argv.slice(2), env: process.env });
if (fleet === null) process.exit(1);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => void fleet.stop(signal).then(() => process.exit(0)));
}
