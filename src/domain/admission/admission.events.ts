/** The waiting room's audit trail, in stream `admission-<showId>`. Polls are not recorded. */

/** Published before the opening: sha256 of the seed the draw will use, so the seed cannot be picked after. */
export type PreQueueSeedCommitted = {
  type: 'PreQueueSeedCommitted';
  data: { showId: string; commitment: string; committedAt: string };
};

export type PreQueueDrawn = {
  type: 'PreQueueDrawn';
  /**
   * Anyone holding the seed and the pre-queue in join order can redo the draw (see drawOrder);
   * sha256(seed) = commitment, and `entrantsDigest` (see draw-commitment.ts) pins the entrants.
   */
  data: { showId: string; seed: string; count: number; drawnAt: string; commitment?: string; entrantsDigest?: string };
};

export type MembersAdmitted = {
  type: 'MembersAdmitted';
  data: { showId: string; batch: number; memberIds: string[]; admittedAt: string };
};

export type QueueClosed = {
  type: 'QueueClosed';
  data: { showId: string; reason: string; closedAt: string };
};

export type AdmissionEvent = PreQueueSeedCommitted | PreQueueDrawn | MembersAdmitted | QueueClosed;

export const admissionStream = (showId: string): string => `admission-${showId}`;
