import type { DomainEvent } from '../shared/decider.js';

/** Inventory events live in `inventory-<showId>-<part>`; `part` names the section or pool shard. */
export type SeatsHeld = DomainEvent<
  'SeatsHeld',
  { showId: string; part: string; holdId: string; memberId: string; seats: string[]; quantity: number; expiresAt: string }
>;
export type SeatsSold = DomainEvent<
  'SeatsSold',
  { showId: string; part: string; holdId: string; reservationId: string; seats: string[]; quantity: number }
>;
export type SeatsReleased = DomainEvent<
  'SeatsReleased',
  { showId: string; part: string; holdId: string; seats: string[]; quantity: number; reason: 'released' | 'expired' | 'cancelled' }
>;
export type InventoryEvent = SeatsHeld | SeatsSold | SeatsReleased;

/** One inventory stream's share of a hold. */
export interface HoldPart {
  part: string;
  seats: string[];
  quantity: number;
  price: number;
}

/** Ledger events live in `bookings-<showId>-<memberId>`: the member's holds and reservations for one show. */
export type HoldPlaced = DomainEvent<
  'HoldPlaced',
  {
    showId: string;
    memberId: string;
    holdId: string;
    parts: HoldPart[];
    seats: string[];
    quantity: number;
    total: number;
    currency: string;
    expiresAt: string;
    placedAt: string;
    /** Best available: whether the party sits in one row, side by side. */
    together?: boolean;
    /** Hand-picked seats that strand a single seat, on a show whose orphan rule is `warn`. */
    warnings?: OrphanWarning[];
    /** The waiting room's admission the hold was made under: its end gives back that place only. */
    admittedAt?: string;
    /** A waiting-list offer placed in the member's name (their offer mail is sent from this event). */
    waitlistOffer?: true;
  }
>;

/** A single free seat a hold would leave stranded, and a choice of as many seats that would not. */
export interface OrphanWarning {
  code: 'BOOKING.ORPHAN_SEAT';
  seat: string;
  suggestion?: string[];
}
export type HoldConfirmed = DomainEvent<
  'HoldConfirmed',
  {
    showId: string;
    memberId: string;
    holdId: string;
    reservationId: string;
    seats: string[];
    quantity: number;
    total: number;
    currency: string;
    confirmedAt: string;
    /**
     * Whether the hold was a waiting-list offer (HoldPlaced's `waitlistOffer`): only such a
     * confirmation settles an offer. Absent from confirmations written before it was recorded,
     * which may be either.
     */
    waitlistOffer?: boolean;
  }
>;
export type HoldReleased = DomainEvent<'HoldReleased', { showId: string; memberId: string; holdId: string; releasedAt: string }>;
export type HoldExpired = DomainEvent<'HoldExpired', { showId: string; memberId: string; holdId: string; expiredAt: string }>;
export type ReservationCancelled = DomainEvent<
  'ReservationCancelled',
  {
    showId: string;
    memberId: string;
    holdId: string;
    reservationId: string;
    seats: string[];
    quantity: number;
    total: number;
    cancelledAt: string;
    /** Set when an admin cancelled on the member's behalf: their member id, and the reason they gave. */
    by?: string;
    reason?: string;
  }
>;
export type LedgerEvent = HoldPlaced | HoldConfirmed | HoldReleased | HoldExpired | ReservationCancelled;

export type BookingEvent = InventoryEvent | LedgerEvent;

export const INVENTORY_EVENT_TYPES = ['SeatsHeld', 'SeatsSold', 'SeatsReleased'] as const;
export const LEDGER_EVENT_TYPES = ['HoldPlaced', 'HoldConfirmed', 'HoldReleased', 'HoldExpired', 'ReservationCancelled'] as const;

export function isInventoryEvent(event: BookingEvent): event is InventoryEvent {
  return (INVENTORY_EVENT_TYPES as readonly string[]).includes(event.type);
}

export const inventoryStreamId = (showId: string, part: string) => `inventory-${showId}-${part}`;
export const ledgerStreamId = (showId: string, memberId: string) => `bookings-${showId}-${memberId}`;
export const isInventoryStream = (streamId: string) => streamId.startsWith('inventory-');
