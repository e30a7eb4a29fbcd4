/** The waiting room's audit trail, in stream `admission-<showId>`. Polls are not recorded. */
export type PreQueueDrawn = {
  type: 'PreQueueDrawn';
  /** Anyone holding the seed and the pre-queue in join order can redo the draw (see drawOrder). */
  data: { showId: string; seed: string; count: number; drawnAt: string };
};

export type MembersAdmitted = {
  type: 'MembersAdmitted';
  data: { showId: string; batch: number; memberIds: string[]; admittedAt: string };
};

export type QueueClosed = {
  type: 'QueueClosed';
  data: { showId: string; reason: string; closedAt: string };
};

export type AdmissionEvent = PreQueueDrawn | MembersAdmitted | QueueClosed;

export const admissionStream = (showId: string): string => `admission-${showId}`;
