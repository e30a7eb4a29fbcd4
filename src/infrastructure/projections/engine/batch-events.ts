/**
 * Most events a runner reads and commits in one transaction. A batch's statements are one per table
 * (and show), so a bigger batch costs about the same round trips: under a sale, when every round
 * trip waits behind requests in a saturated process, 500 let the read models fall tens of thousands
 * of positions behind within 20 s (docs/benchmarks.md).
 */
export const PROJECTION_BATCH_EVENTS = 2000;
