import type { LedgerHold } from '../../domain/booking/ledger.state.js';

/** What a hold request answers. */
export interface HoldView {
  holdId: string;
  showId: string;
  seats: string[];
  quantity: number;
  total: number;
  currency: string;
  expiresAt: string;
}

export function holdView(showId: string, hold: LedgerHold): HoldView {
  return {
    holdId: hold.holdId,
    showId,
    seats: hold.seats,
    quantity: hold.quantity,
    total: hold.total,
    currency: hold.currency,
    expiresAt: new Date(hold.expiresAt).toISOString(),
  };
}

export interface ReservationView {
  reservationId: string;
  holdId: string;
  showId: string;
  seats: string[];
  quantity: number;
  total: number;
  currency: string;
}
