/** The two shapes of bus contract: request/reply (queue-grouped service endpoints) and events. */
import type * as v from "valibot";

export type AnySchema = v.GenericSchema<unknown, unknown>;

export interface RequestContract<TReq extends AnySchema, TRep extends AnySchema> {
  readonly kind: "request";
  /** `<domain>.v<N>.<verb>`, before any deployment namespace prefix. */
  readonly subject: string;
  readonly request: TReq;
  readonly reply: TRep;
}

export interface EventContract<TEvt extends AnySchema> {
  readonly kind: "event";
  readonly subject: string;
  readonly payload: TEvt;
}

export function requestContract<TReq extends AnySchema, TRep extends AnySchema>(
  subject: string,
  request: TReq,
  reply: TRep,
): RequestContract<TReq, TRep> {
  return { kind: "request", subject, request, reply };
}

export function eventContract<TEvt extends AnySchema>(subject: string, payload: TEvt): EventContract<TEvt> {
  return { kind: "event", subject, payload };
}

/** What a handler receives: the request after validation and defaults. */
export type RequestOf<C> = C extends RequestContract<infer R, AnySchema> ? v.InferOutput<R> : never;
/** What a caller sends: optional fields with defaults may be left out. */
export type RequestInputOf<C> = C extends RequestContract<infer R, AnySchema> ? v.InferInput<R> : never;
export type ReplyOf<C> = C extends RequestContract<AnySchema, infer R> ? v.InferOutput<R> : never;
export type PayloadOf<C> = C extends EventContract<infer P> ? v.InferOutput<P> : never;
