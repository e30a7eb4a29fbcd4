import type { DomainEvent } from '../shared/decider.js';

/** Waiting-list events live in `waitlist-<showId>`: who waits, in order, and the offers made to them. */
export type WaitlistJoined = DomainEvent<'WaitlistJoined', { showId: string; memberId: string; quantity: number; joinedAt: string }>;
export type WaitlistLeft = DomainEvent<'WaitlistLeft', { showId: string; memberId: string; leftAt: string }>;

/**
 * Returned seats (or pool tickets of one part) offered to the first member waiting: a hold in their
 * name, `holdId`, until `expiresAt`. `source` is the event that gave the seats back.
 */
export type WaitlistOffered = DomainEvent<
  'WaitlistOffered',
  {
    showId: string;
    memberId: string;
    holdId: string;
    part: string;
    seats: string[];
    quantity: number;
    expiresAt: string;
    offeredAt: string;
    source: string;
  }
>;
/** The member confirmed the offered hold: they leave the list with their tickets. */
export type WaitlistOfferAccepted = DomainEvent<
  'WaitlistOfferAccepted',
  { showId: string; memberId: string; holdId: string; acceptedAt: string }
>;
/** The member declined (released the hold) or let it expire: they leave the list, the seats pass on. */
export type WaitlistOfferLapsed = DomainEvent<
  'WaitlistOfferLapsed',
  { showId: string; memberId: string; holdId: string; reason: 'declined' | 'expired'; lapsedAt: string }
>;
/**
 * The hold could not be placed. `seats-taken`: somebody else had them first, the member keeps their
 * place. `limit`: the member's per-member limit leaves no room, they leave the list and the seats pass
 * on. `sales-closed`: the member keeps their place.
 */
export type WaitlistOfferFailed = DomainEvent<
  'WaitlistOfferFailed',
  { showId: string; memberId: string; holdId: string; reason: OfferFailure; failedAt: string }
>;
export type OfferFailure = 'seats-taken' | 'limit' | 'sales-closed';

export type WaitlistEvent =
  WaitlistJoined | WaitlistLeft | WaitlistOffered | WaitlistOfferAccepted | WaitlistOfferLapsed | WaitlistOfferFailed;

export const WAITLIST_EVENT_TYPES = [
  'WaitlistJoined',
  'WaitlistLeft',
  'WaitlistOffered',
  'WaitlistOfferAccepted',
  'WaitlistOfferLapsed',
  'WaitlistOfferFailed',
] as const;

export const waitlistStreamId = (showId: string) => `waitlist-${showId}`;
