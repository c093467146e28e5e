export { quotaService } from "./service.js";
