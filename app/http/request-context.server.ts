/**
 * What request the code running now serves, for log lines written far from the route (the
 * process's safety net, for one). Set by the HTTP layer for each request; Node carries it through
 * awaits, timers and even into the unhandledRejection handler of a promise created in it.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  method: string;
  /** The path without its query string: queries can hold shop names, ids and tokens. */
  path: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
