/**
 * The context manager ThinkWatch runs by default: a context is active only while `context.with` runs its function
 * synchronously. Work that crosses an `await` carries its parent explicitly (the request's context on the request,
 * the event's context in the outbox entry, the message headers across NATS), so no async hook runs for every promise
 * of the process. On Node 20 the SDK's `AsyncLocalStorage` manager turns on promise hooks for the whole process: a
 * third to two thirds of tracing's cost at the gateway (measured with `npm run bench -- proxy --compare`).
 */
import { type Context, type ContextManager, ROOT_CONTEXT } from "@opentelemetry/api";

export class ExplicitContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== "function") return target;
    const manager = this;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(context, () => (target as (...a: unknown[]) => unknown).apply(this, args));
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
