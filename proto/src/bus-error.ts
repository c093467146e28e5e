/** How an error travels on a reply: a header names the code, the body carries message and details. */
import * as v from "valibot";

export const BUS_ERROR_HEADER = "Tw-Error";

export const BusErrorBodySchema = v.object({
  code: v.string(),
  message: v.string(),
  retryable: v.optional(v.boolean()),
  details: v.optional(v.record(v.string(), v.unknown())),
});
export type BusErrorBody = v.InferOutput<typeof BusErrorBodySchema>;
