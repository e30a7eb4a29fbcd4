import { AsyncLocalStorage } from 'node:async_hooks';

/** What the work being done now belongs to: the request id of the HTTP request that started it. */
export interface RequestContext {
  requestId: string;
  /** Set once the response is sent: a timer or loop the request started and that outlives it no longer speaks for it. */
  ended?: boolean;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` (and everything it starts: awaits, timers, callbacks) as part of the request. */
export function runInRequest<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/**
 * The id of the request whose work is running now; undefined outside a request (ticks, start-up)
 * and after its response (a background loop the request happened to start keeps its async context).
 */
export function currentRequestId(): string | undefined {
  const context = storage.getStore();
  return context && !context.ended ? context.requestId : undefined;
}
