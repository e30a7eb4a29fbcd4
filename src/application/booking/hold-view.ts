import type { OrphanWarning } from '../../domain/booking/booking.events.js';
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
  /** Best available: whether the party sits side by side in one row. */
  together?: boolean;
  /** The show's orphan rule is `warn` and these seats strand a single seat. */
  warnings?: OrphanWarning[];
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
    ...(hold.together === undefined ? {} : { together: hold.together }),
    ...(hold.warnings ? { warnings: hold.warnings } : {}),
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
