export { forwarderService } from "./service.js";
