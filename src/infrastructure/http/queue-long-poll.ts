/** Longest wait a client may ask for with `Prefer: wait=<seconds>` (RFC 7240). */
export const MAX_WAIT_SECONDS = 30;

/** The seconds of a `Prefer: wait=<n>` header, capped; 0 when absent or malformed. */
export function preferredWait(prefer: string | string[] | undefined): number {
  const text = Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '');
  const match = /(?:^|[,;\s])wait\s*=\s*"?(\d{1,6})"?/i.exec(text);
  return match ? Math.min(Number(match[1]), MAX_WAIT_SECONDS) : 0;
}
