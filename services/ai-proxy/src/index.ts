export { aiProxyService } from "./service.js";
