/** Where a show's pre-queue draw gets its seed: 256 unpredictable bits in production (docs/waiting-room.md). */
export interface DrawSeeds {
  /** A seed for `showId`'s draw, 64 hex characters; the queue keeps the first one offered. */
  seedFor(showId: string): string;
}
