import { serverNow } from '../api/http.js';
import type { Show } from '../api/types.js';

export type SaleState = 'upcoming' | 'open' | 'closed' | 'soldOut';

/** Where a show's sale stands now, from its window and what is left. */
export function saleState(show: Show, remaining = show.remaining): SaleState {
  const now = serverNow();
  if (show.salesCloseAt && Date.parse(show.salesCloseAt) <= now) return 'closed';
  if (show.startsAt && Date.parse(show.startsAt) <= now) return 'closed';
  if (remaining === 0) return 'soldOut';
  if (show.salesOpenAt && Date.parse(show.salesOpenAt) > now) return 'upcoming';
  return 'open';
}

/** The lowest price of a show, in minor units. */
export function lowestPrice(show: Show): number | undefined {
  if (show.generalAdmission) return show.generalAdmission.price;
  const prices = show.sections.map((s) => s.price);
  return prices.length > 0 ? Math.min(...prices) : undefined;
}

export function priceOfSeat(show: Show, seatId: string): number {
  if (show.generalAdmission) return show.generalAdmission.price;
  const section = show.sections.find((s) => seatId.startsWith(`${s.id}-`));
  return section?.price ?? 0;
}

/** The short booking number a buyer reads out (the first 8 characters of the reservation id). */
export function bookingNumber(reservationId: string): string {
  return reservationId.replace(/-/g, '').slice(0, 8).toUpperCase();
}
