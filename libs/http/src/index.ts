/** HTTP building blocks shared by every service: the Hono app factory, request ids, the console error body. */
export { type AppEnv, createHttpApp, type HttpAppOptions } from "./app.js";
export { BodyChunks } from "./body-chunks.js";
export { Abort, type AbortLike, clientAbort } from "./client-abort.js";
export { type ChunkCollectOptions, type CollectOptions, collectChunks, collectStream } from "./collect-stream.js";
export { type ConsoleErrorBody, consoleErrorBody } from "./console-error.js";
export { WHOLE_BYTES as LARGE_JSON_BYTES } from "./parse-json-bytes.js";
export { nodeIncoming, parseJsonBody, parseJsonBodySkipping, readJsonBody } from "./read-json-body.js";
export { requestHeader } from "./request-header.js";
export { carryingRequestId, REQUEST_ID_HEADER, requestIdOf } from "./request-id.js";
export { type ChunkSource, nodeOutgoing, type StreamedHead, streamedResponse } from "./streamed-response.js";
export { stringifyJsonBytes } from "./stringify-json-bytes.js";
export { readValidatedJson, validate } from "./validated-body.js";
