/** Read-cache keys of one show's hot reads (invalidated by the projections that feed them). */
export const showCacheKeys = (showId: string) => [`show:${showId}`, `seats:${showId}`];
