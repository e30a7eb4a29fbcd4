import type { HoldPart, LedgerEvent, OrphanWarning } from './booking.events.js';

export type HoldStatus = 'held' | 'confirmed' | 'released' | 'expired' | 'cancelled';

export interface LedgerHold {
  holdId: string;
  parts: HoldPart[];
  seats: string[];
  quantity: number;
  total: number;
  currency: string;
  expiresAt: number;
  status: HoldStatus;
  reservationId?: string;
  together?: boolean;
  warnings?: OrphanWarning[];
  /** The admission the hold was made under (epoch ms), when the show had a queue. */
  admittedAt?: number;
  /** Placed for a waiting-list offer. */
  waitlistOffer?: true;
}

/** A member's holds and reservations for one show: where the per-member limit is counted. */
export interface LedgerState {
  holds: Map<string, LedgerHold>;
}

export const initialLedger = (): LedgerState => ({ holds: new Map() });

export function cloneLedger(state: LedgerState): LedgerState {
  return { holds: new Map(state.holds) };
}

/** Updates `state` in place and returns it (see evolveInventory). */
export function evolveLedger(state: LedgerState, event: LedgerEvent): LedgerState {
  const { holdId } = event.data;
  const hold = state.holds.get(holdId);
  switch (event.type) {
    case 'HoldPlaced': {
      const { parts, seats, quantity, total, currency } = event.data;
      state.holds.set(holdId, {
        holdId,
        parts,
        seats,
        quantity,
        total,
        currency,
        expiresAt: Date.parse(event.data.expiresAt),
        status: 'held',
        ...(event.data.together === undefined ? {} : { together: event.data.together }),
        ...(event.data.warnings ? { warnings: event.data.warnings } : {}),
        ...(event.data.admittedAt === undefined ? {} : { admittedAt: Date.parse(event.data.admittedAt) }),
        ...(event.data.waitlistOffer ? { waitlistOffer: true as const } : {}),
      });
      return state;
    }
    case 'HoldConfirmed':
      if (hold) state.holds.set(holdId, { ...hold, status: 'confirmed', reservationId: event.data.reservationId });
      return state;
    case 'HoldReleased':
      if (hold) state.holds.set(holdId, { ...hold, status: 'released' });
      return state;
    case 'HoldExpired':
      if (hold) state.holds.set(holdId, { ...hold, status: 'expired' });
      return state;
    case 'ReservationCancelled':
      if (hold) state.holds.set(holdId, { ...hold, status: 'cancelled' });
      return state;
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** Tickets that count toward the limit: live holds (not past their time) and reservations. */
export function ticketsCounted(state: LedgerState, now: number): number {
  let count = 0;
  for (const hold of state.holds.values()) {
    if ((hold.status === 'held' && hold.expiresAt > now) || hold.status === 'confirmed') count += hold.quantity;
  }
  return count;
}

export function findReservation(state: LedgerState, reservationId: string): LedgerHold | undefined {
  for (const hold of state.holds.values()) if (hold.reservationId === reservationId) return hold;
  return undefined;
}
