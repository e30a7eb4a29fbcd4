import type { AppendNotifier } from './append-notifier.js';

const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 1000;

/**
 * Resolves true once `head()` passes `after`, false at the timeout or on abort. Wakes on a
 * notifier hint and otherwise polls with a backoff (25 ms doubling to 1 s) as the floor, so a
 * lost hint costs at most a second and an idle reader costs about one query a second.
 */
export async function waitForEvents(
  head: () => Promise<number>,
  notifier: AppendNotifier,
  after: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  if (signal?.aborted) return false;
  const deadline = Date.now() + timeoutMs;
  let wake: (() => void) | undefined;
  let hints = 0;
  const unsubscribe = notifier.subscribe((position) => {
    if (position <= after) return;
    hints++;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    let delay = FIRST_POLL_MS;
    for (;;) {
      const seen = hints;
      if ((await head()) > after) return true;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || signal?.aborted) return false;
      if (hints === seen) await sleep(Math.min(delay, remaining), (resolve) => (wake = resolve));
      wake = undefined;
      if (signal?.aborted) return false;
      delay = Math.min(delay * 2, MAX_POLL_MS);
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}

function sleep(ms: number, expose: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    expose(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
