/** The one error body of the console API: `{ "error": { code, message, requestId, details? } }`. */
import * as v from "valibot";

export const ConsoleErrorBodySchema = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    requestId: v.string(),
    details: v.optional(v.record(v.string(), v.unknown())),
  }),
});
export type ConsoleErrorBodyShape = v.InferOutput<typeof ConsoleErrorBodySchema>;
