export { auditIngestService } from "./service.js";
