export { keyService } from "./service.js";
