import type { AdminShow, SaleState } from '../../api/admin-types.js';
import { t, type MessageKey } from '../../i18n/index.js';

/** The sale's state in the organizer's words. */
export function stateLabel(state: SaleState): string {
  return t(`admin.state.${state}` as MessageKey);
}

/** Share of the capacity sold and held, in percent (for the bar under each show). */
export function shares(show: AdminShow): { sold: number; held: number } {
  if (show.capacity <= 0) return { sold: 0, held: 0 };
  return { sold: (100 * show.sold) / show.capacity, held: (100 * show.held) / show.capacity };
}
