export { mcpProxyService } from "./service.js";
