export { adminApiService } from "./service.js";
