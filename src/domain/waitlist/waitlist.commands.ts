import type { OfferFailure } from './waitlist.events.js';

export interface JoinWaitlist {
  type: 'JoinWaitlist';
  showId: string;
  memberId: string;
  quantity: number;
  /** Tickets on sale now (free seats, pool tickets); joining needs none. */
  available: number;
  maxTicketsPerMember: number;
  /** Tickets the member holds or bought for the show already (they count against the limit). */
  ticketsCounted: number;
  now: Date;
}

export interface LeaveWaitlist {
  type: 'LeaveWaitlist';
  showId: string;
  memberId: string;
  now: Date;
}

/**
 * Seats that came back (a release, an expiry, a cancellation): offered to the members waiting, in
 * order. `holdIds[i]` names the hold of the i-th offer (derived from `source` by the caller, so the
 * same event decided again names the same holds); there are as many as tickets returned.
 */
export interface OfferReturnedSeats {
  type: 'OfferReturnedSeats';
  showId: string;
  source: string;
  part: string;
  /** Reserved seating: the seats; a pool: empty, and `quantity` tickets. */
  seats: string[];
  quantity: number;
  holdIds: string[];
  now: Date;
  offerMinutes: number;
}

/** What became of an offered hold, as the booking streams tell it. */
export interface SettleOffer {
  type: 'SettleOffer';
  showId: string;
  holdId: string;
  outcome: 'confirmed' | 'released' | 'expired' | OfferFailure;
  now: Date;
}

export type WaitlistCommand = JoinWaitlist | LeaveWaitlist | OfferReturnedSeats | SettleOffer;
