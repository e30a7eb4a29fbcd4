import { PassThrough } from 'node:stream';
import type { QueueView } from '../../application/admission/queue-view.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { untilNextTick } from '../../application/admission/status-grid.js';

export interface QueueStreamOptions {
  first: QueueView;
  /** Asks the queue again (which also renews an admitted member's lease). */
  poll(): Promise<QueueView>;
  /** Streams ask on a shared wall-clock grid of this period, so a process's asks share one call. */
  pollMs: number;
  /** A changed position is sent at most this often (an admission or a close at once). */
  positionEveryMs?: number;
  /** Admitted members get a fresh token this often (tokens are short-lived). */
  tokenRefreshMs: number;
  heartbeatMs?: number;
}

/**
 * Server-Sent Events for one member: `position` when place or ETA change, `admitted` (again when
 * the token is refreshed), then `closed`, `gone` or `unavailable` to end. Listening keeps the lease.
 */
export function queueEventStream(options: QueueStreamOptions): { stream: PassThrough; stop(): void } {
  const stream = new PassThrough();
  let last = '';
  let tokenSentAt = 0;
  let positionSentAt = -Infinity;
  let quietSince = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  const send = (event: string, data: unknown) => {
    stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    quietSince = Date.now();
  };
  const finish = (event: string, data: unknown) => {
    send(event, data);
    stop();
    stream.end();
  };
  const show = (view: QueueView) => {
    if (view.state === 'closed') return finish('closed', view);
    if (view.state === 'admitted') {
      if (last !== 'admitted' || Date.now() - tokenSentAt >= options.tokenRefreshMs) {
        send('admitted', view);
        tokenSentAt = Date.now();
      }
      last = 'admitted';
    } else {
      const key = `${view.position}:${view.etaSeconds}:${view.paused === true}`;
      if (key !== last && (last === 'admitted' || Date.now() - positionSentAt >= (options.positionEveryMs ?? 1000))) {
        send('position', view);
        positionSentAt = Date.now();
        last = key;
      }
    }
    if (Date.now() - quietSince >= (options.heartbeatMs ?? 15_000)) {
      stream.write(': keep-alive\n\n');
      quietSince = Date.now();
    }
  };
  const loop = async () => {
    if (stopped) return;
    try {
      show(await options.poll());
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not_found') return finish('gone', { state: 'gone', code: error.code });
      if (error instanceof DomainError && error.kind === 'unavailable') {
        return finish('unavailable', { code: error.code, retryAfterSeconds: error.retryAfterSeconds ?? 5 });
      }
      return finish('error', { code: 'HTTP.INTERNAL' });
    }
    if (!stopped) timer = setTimeout(loop, untilNextTick(options.pollMs, Date.now()));
  };
  stream.write(`retry: 5000\n\n`);
  show(options.first);
  if (!stopped) timer = setTimeout(loop, untilNextTick(options.pollMs, Date.now()));
  stream.on('close', stop);
  return { stream, stop };
}
