import type { ReadCache } from '../../application/ports/read-cache.js';

/** Read-cache keys of one show's hot reads (invalidated by the projections that feed them). */
export const showCacheKeys = (showId: string) => [`show:${showId}`, `seats:${showId}`];

/** A reader that read just before the commit may store its old answer just after it: delete again a moment later. */
const SECOND_DELETE_MS = 250;

/** Deletes cached answers after a commit, and once more a moment later (a delayed double delete). */
export async function invalidate(cache: ReadCache, keys: string[]): Promise<void> {
  await cache.delete(keys);
  setTimeout(() => void cache.delete(keys).catch(() => undefined), SECOND_DELETE_MS).unref();
}
