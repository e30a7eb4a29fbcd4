import { admissionClaims } from '../../domain/admission/admission-token.js';
import { estimateWaitSeconds } from '../../domain/admission/eta.js';
import type { SaleSettings } from '../ports/sale-catalog.js';
import type { MemberPlace } from '../ports/admission-queue.js';
import type { AdmissionTokens } from '../ports/admission-tokens.js';
import type { WaitEstimate } from './wait-estimate.js';

/** What a member is told about their place (the body of GET /api/shows/:id/queue and of SSE events). */
export type QueueView =
  | {
      state: 'waiting';
      preQueue: boolean;
      position: number | null;
      ahead: number | null;
      etaSeconds: number;
      etaHighSeconds?: number;
      opensAt?: string;
      /** The organizer paused admissions: the place stays, the ETA holds only once they resume. */
      paused?: boolean;
    }
  | { state: 'admitted'; admissionToken: string; expiresAt: string; tokenExpiresAt: string }
  | { state: 'closed'; reason: string };

export interface ViewContext {
  showId: string;
  memberId: string;
  sale: SaleSettings;
  now: number;
  tokens: AdmissionTokens;
  tokenTtlSeconds: number;
  /** The wait from the rate and the places (QueueWaits); without it, the rate alone. */
  wait?: WaitEstimate;
}

export function toQueueView(place: Exclude<MemberPlace, { state: 'absent' }>, context: ViewContext): QueueView {
  const { sale, now } = context;
  switch (place.state) {
    case 'waiting':
      if (place.preQueue) {
        const untilOpen = Math.max(0, Math.ceil((sale.salesOpenAt.getTime() - now) / 1000));
        return {
          state: 'waiting',
          preQueue: true,
          position: null,
          ahead: null,
          etaSeconds: untilOpen,
          opensAt: sale.salesOpenAt.toISOString(),
        };
      }
      return {
        state: 'waiting',
        preQueue: false,
        position: place.ahead + 1,
        ahead: place.ahead,
        ...eta(context.wait, estimateWaitSeconds(place.ahead, sale.queue.admitPerSecond)),
        ...(sale.queue.paused ? { paused: true } : {}),
      };
    case 'admitted': {
      const claims = admissionClaims(context.memberId, context.showId, now, context.tokenTtlSeconds);
      return {
        state: 'admitted',
        admissionToken: context.tokens.sign(claims),
        expiresAt: new Date(place.leaseExpiresAt).toISOString(),
        tokenExpiresAt: new Date(claims.exp * 1000).toISOString(),
      };
    }
    case 'closed':
      return { state: 'closed', reason: place.reason };
  }
}

/** The wait as answered: the range's low end, and its high end when the range says more (finite). */
function eta(wait: WaitEstimate | undefined, rateOnly: number): { etaSeconds: number; etaHighSeconds?: number } {
  if (!wait || !Number.isFinite(wait.lowSeconds)) return { etaSeconds: rateOnly };
  return Number.isFinite(wait.highSeconds) && wait.highSeconds > wait.lowSeconds
    ? { etaSeconds: wait.lowSeconds, etaHighSeconds: wait.highSeconds }
    : { etaSeconds: wait.lowSeconds };
}
