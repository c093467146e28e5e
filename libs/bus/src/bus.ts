/**
 * A NATS connection with typed, validated request/reply and broadcast on top: what arrives is validated where it
 * arrives (a served request, a reply, a broadcast). Every served handler is wrapped: decode → validate → await →
 * validate the reply (so nothing the contract does not name leaves the server) → respond, errors mapped to a code
 * header, in-flight counted so shutdown can wait for it. A deployment namespace prefixes every subject, which isolates
 * test runs and tenants.
 */

import { headers, type MsgHdrs, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { AppError, isErrorCode, toAppError } from "@thinkwatch/errors";
import type { Logger } from "@thinkwatch/log";
import {
  type AnySchema,
  BUS_ERROR_HEADER,
  BusErrorBodySchema,
  checkSchema,
  type EventContract,
  type PayloadOf,
  type ReplyOf,
  type RequestContract,
  type RequestInputOf,
  type RequestOf,
} from "@thinkwatch/proto";
import { type TraceContext, traceFieldsOf } from "@thinkwatch/tracing";
import * as v from "valibot";
import { startRequestSpan, tracedServe } from "./bus-tracing.js";
import { decodeJson, encodeJson } from "./codec.js";
import type { NatsLink } from "./nats-link.js";
import { openNatsLink } from "./nats-link.js";
import { NoRespondersError, type ReplyMsg, type ServedMsg } from "./request-mux.js";

export interface BusOptions {
  url: string;
  /** Prefix for every subject, stream and bucket; empty in a normal deployment. */
  namespace: string;
  /** Connection name shown by the NATS server (service name + instance). */
  name: string;
  log: Logger;
  /** How long a request waits for a reply before failing with `unavailable`. */
  requestTimeoutMs?: number;
}

export interface ServeContext {
  subject: string;
  /** Bound to the request's trace when it is traced. */
  log: Logger;
  /** The server span's context when traced: the parent of whatever the handler calls after an await. */
  trace: TraceContext | undefined;
}

/** A served contract. */
export interface Served {
  unsubscribe(): void;
}

export interface ServeOptions {
  /** Queue group; defaults to the subject, so replicas of one service share the work. */
  queue?: string;
}

export interface Bus {
  readonly nc: NatsConnection;
  readonly namespace: string;
  /** The wire name of a logical subject, stream or bucket. */
  subject(logical: string): string;
  streamName(logical: string): string;
  bucketName(logical: string): string;
  request<C extends RequestContract<AnySchema, AnySchema>>(
    contract: C,
    payload: RequestInputOf<C>,
    options?: { timeoutMs?: number; trace?: TraceContext | undefined },
  ): Promise<ReplyOf<C>>;
  /**
   * Serve a request contract: on NATS (a queue group, so replicas share the work) and, for requesters of this
   * process's connection, in-process (RequestMux). `unsubscribe` stops both.
   */
  serve<C extends RequestContract<AnySchema, AnySchema>>(
    contract: C,
    handler: (request: RequestOf<C>, context: ServeContext) => Promise<ReplyOf<C>>,
    options?: ServeOptions,
  ): Served;
  /** Low-level request on a wire subject (already namespaced), for protocol messages such as JetStream publishes. */
  requestRaw(wireSubject: string, data: Uint8Array, timeoutMs: number, headers?: MsgHdrs): Promise<ReplyMsg>;
  /** True when a request on this contract subject is answered in this process (no NATS hop). */
  servedLocally(logicalSubject: string): boolean;
  /** Core NATS broadcast: every subscriber gets it; nothing is stored. */
  broadcast<C extends EventContract<AnySchema>>(contract: C, payload: PayloadOf<C>): void;
  onBroadcast<C extends EventContract<AnySchema>>(contract: C, handler: (payload: PayloadOf<C>) => void): Subscription;
  /** Number of served requests being handled right now. */
  inFlight(): number;
  /** Stop taking requests and wait for in-flight ones (up to the deadline); a bus from connectBus also closes its connection. */
  close(deadlineMs: number): Promise<void>;
  /** True while connected to a server. */
  isConnected(): boolean;
}

/** A bus on its own connection (one service per process, tools, tests). Closing it closes the connection. */
export async function connectBus(options: BusOptions): Promise<Bus> {
  const link = await openNatsLink({ url: options.url, name: options.name, log: options.log });
  return closingAlso(createBus(link, options), () => link.close());
}

/** The same bus, whose close() also runs `after` (closing or releasing the connection under it). */
export function closingAlso(bus: Bus, after: () => Promise<void>): Bus {
  return {
    ...bus,
    async close(deadlineMs) {
      await bus.close(deadlineMs);
      await after();
    },
  };
}

/**
 * A bus over a (possibly shared) link: it owns only its own subscriptions and in-flight work. Closing it stops those
 * and waits for the work; the link stays open for the other services on it.
 */
export function createBus(link: NatsLink, options: Omit<BusOptions, "url" | "name">): Bus {
  const { nc, mux } = link;
  const log = options.log;
  const prefix = options.namespace === "" ? "" : `${options.namespace}.`;
  const streamPrefix = options.namespace === "" ? "" : `${options.namespace.toUpperCase()}_`;
  const requestTimeoutMs = options.requestTimeoutMs ?? 5000;
  const subscriptions: Array<Subscription | Served> = [];
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];

  const subject = (logical: string) => prefix + logical;

  function replyError(msg: ServedMsg, error: AppError): void {
    const h = headers();
    h.set(BUS_ERROR_HEADER, error.code);
    msg.respond(encodeJson({ code: error.code, message: error.message, retryable: error.retryable, details: error.details }), {
      headers: h,
    });
  }

  function finishOne(): void {
    inFlight -= 1;
    if (inFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  return {
    nc,
    namespace: options.namespace,
    subject,
    streamName: (logical) => streamPrefix + logical,
    bucketName: (logical) => (options.namespace === "" ? logical : `${options.namespace}_${logical}`),

    servedLocally: (logicalSubject) => mux.servedLocally(subject(logicalSubject)),

    async request(contract, payload, requestOptions) {
      // Not validated here: this process built it under the contract's type, and the server validates every request
      // it receives (its defaults apply there); a payload outside the contract comes back as validation_failed.
      // A server of the contract in this process gets the payload itself, never encoded (see request-mux.ts).
      const wireSubject = subject(contract.subject);
      const data = mux.servedLocally(wireSubject) ? undefined : encodeJson(payload);
      const timeoutMs = requestOptions?.timeoutMs ?? requestTimeoutMs;
      const traced = startRequestSpan(contract.subject, requestOptions?.trace);
      let msg: ReplyMsg;
      try {
        msg = await (data === undefined
          ? mux.requestLocally(wireSubject, payload, timeoutMs, traced?.headers)
          : mux.request(wireSubject, data, timeoutMs, traced?.headers));
      } catch (cause) {
        const what = cause instanceof NoRespondersError ? "no instance is serving" : "no reply in time from";
        const error = new AppError("unavailable", `${what} ${contract.subject}`, { cause, retryable: true });
        traced?.end(error);
        throw error;
      }
      traced?.end(undefined, msg.headers?.get(BUS_ERROR_HEADER));
      const errorCode = msg.headers?.get(BUS_ERROR_HEADER);
      if (errorCode !== undefined && errorCode !== "") {
        const body = v.safeParse(BusErrorBodySchema, safeDecode(msg.data));
        const code = isErrorCode(errorCode) ? errorCode : "internal";
        const message = body.success ? body.output.message : `${contract.subject} failed`;
        throw new AppError(code, message, {
          retryable: body.success ? (body.output.retryable ?? false) : false,
          ...(body.success && body.output.details !== undefined ? { details: body.output.details } : {}),
        });
      }
      // An in-process server's reply is the output of its own check against this contract: not checked twice.
      if (msg.local !== undefined) return msg.local.value as ReplyOf<typeof contract>;
      const reply = checkSchema(contract.reply, safeDecode(msg.data));
      if (!reply.success) {
        throw new AppError("internal", `reply to ${contract.subject} does not match its contract`, {
          details: { issues: v.flatten(reply.issues).nested },
        });
      }
      return reply.output as ReplyOf<typeof contract>;
    },

    serve(contract, handler, serveOptions) {
      const wireSubject = subject(contract.subject);
      const onRequest = (msg: ServedMsg) => {
        if (msg.reply === undefined || msg.reply === "") return;
        inFlight += 1;
        void tracedServe(contract.subject, msg, async (trace) => {
          const context = new RequestContext(contract.subject, log, trace);
          try {
            const decoded = checkSchema(contract.request, msg.local === undefined ? safeDecode(msg.data) : msg.local.value);
            if (!decoded.success) {
              throw new AppError("validation_failed", `invalid ${contract.subject} request`, {
                details: { issues: v.flatten(decoded.issues).nested },
              });
            }
            const result = await handler(decoded.output as RequestOf<typeof contract>, context);
            const reply = checkSchema(contract.reply, result);
            if (!reply.success) {
              context.log.error({ issues: v.flatten(reply.issues).nested }, "handler produced a reply outside its contract");
              throw new AppError("internal", `${contract.subject} produced an invalid reply`);
            }
            if (msg.respondValue === undefined) msg.respond(encodeJson(reply.output));
            else msg.respondValue(reply.output);
          } catch (caught) {
            const error = toAppError(caught);
            if (error.code === "internal") context.log.error({ err: caught }, "bus handler failed");
            replyError(msg, error);
            return error;
          } finally {
            finishOne();
          }
          return undefined;
        });
      };
      const sub = nc.subscribe(wireSubject, {
        queue: serveOptions?.queue ?? wireSubject,
        callback: (err, msg) => {
          if (err !== null) {
            log.error({ err, subject: contract.subject }, "subscription error");
            return;
          }
          onRequest(msg);
        },
      });
      const stopLocal = mux.serveLocally(wireSubject, onRequest);
      const served: Served = {
        unsubscribe() {
          stopLocal();
          sub.unsubscribe();
        },
      };
      subscriptions.push(served);
      return served;
    },

    requestRaw: (wireSubject, data, timeoutMs, requestHeaders) => mux.request(wireSubject, data, timeoutMs, requestHeaders),

    broadcast(contract, payload) {
      const checked = v.parse(contract.payload, payload);
      nc.publish(subject(contract.subject), encodeJson(checked));
    },

    onBroadcast(contract, handler) {
      const sub = nc.subscribe(subject(contract.subject), {
        callback: (err, msg) => {
          if (err !== null) return;
          const parsed = checkSchema(contract.payload, safeDecode(msg.data));
          if (!parsed.success) {
            log.warn({ subject: contract.subject }, "dropping broadcast outside its contract");
            return;
          }
          try {
            handler(parsed.output as PayloadOf<typeof contract>);
          } catch (caught) {
            log.error({ err: caught, subject: contract.subject }, "broadcast handler failed");
          }
        },
      });
      subscriptions.push(sub);
      return sub;
    },

    inFlight: () => inFlight,
    isConnected: () => link.isConnected(),

    async close(deadlineMs) {
      for (const sub of subscriptions) sub.unsubscribe();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => idleWaiters.push(resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref()),
        ]);
      }
    },
  };
}

/**
 * What a handler gets besides its request. A class, not an object literal with a getter: a literal's getter is a new
 * closure per request, which gives each context its own hidden class held from old space, so everything the closure
 * reaches (the message, the decoded request) survived young-generation GCs and was promoted — ~0.8 MB per scavenge on
 * quota at a few thousand checks/s, the scavenges slower and the mark-compacts more frequent.
 */
class RequestContext implements ServeContext {
  #log: Logger | undefined;
  constructor(
    readonly subject: string,
    private readonly parentLog: Logger,
    readonly trace: TraceContext | undefined,
  ) {}
  /** Made only when something is logged: almost no request logs anything. */
  get log(): Logger {
    this.#log ??= this.parentLog.child({ subject: this.subject, ...traceFieldsOf(this.trace) });
    return this.#log;
  }
}

function safeDecode(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
