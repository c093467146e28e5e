/** Egress policy for upstream URLs: which addresses ThinkWatch may call, checked at save time and at connect time. */
export { type AddressClass, type Classification, classifyAddress } from "./address-class.js";
export {
  createEgressConnector,
  type EgressConnectorOptions,
  EgressDeniedError,
  type LookupFunction,
} from "./egress-connector.js";
export { createEgressFetch, type EgressFetch, type EgressFetchOptions, egressRefusal } from "./egress-fetch.js";
export { checkAddress, checkHost, checkUpstreamUrl, type EgressPolicy, type EgressVerdict } from "./egress-policy.js";
