import type { SeatMap, SeatStatus, Show } from '../api/types.js';
import { formatPrice, t } from '../i18n/index.js';
import { seatParts } from './seat-name.js';
import type { LayoutSection } from './seat-layout.js';

export type Shown = SeatStatus | 'selected';
export const STATUSES = ['available', 'selected', 'held', 'sold'] as const;

/** What one seat button shows and says. */
export interface SeatView {
  id: string;
  number: string;
  shown: Shown;
  label: string;
  inert: boolean;
  /** One of the seats a best-available hold got for this buyer: drawn with a thick outline. */
  mine: boolean;
}

/** One row as drawn; `key` is stable across refreshes (`<section>/<row>`). */
export interface RowView {
  key: string;
  label: string;
  seats: SeatView[];
}

interface Inputs {
  show: Show;
  seatMap: SeatMap;
  selected: string[];
  readonly?: boolean;
  highlighted?: string[];
}

const same = (a: SeatView, b: SeatView) => a.shown === b.shown && a.label === b.label && a.inert === b.inert && a.mine === b.mine;

/**
 * Every row's seats with their status and name, per section. A row whose seats did not change
 * keeps its previous array, so that a refresh of a 5,000-seat map redraws only the rows that moved.
 */
export function rowViews(sections: LayoutSection[], inputs: Inputs, previous: Map<string, RowView>): RowView[][] {
  const selected = new Set(inputs.selected);
  const mine = new Set(inputs.highlighted);
  const words = Object.fromEntries(STATUSES.map((status) => [status, t(`status.${status}`)])) as Record<Shown, string>;
  return sections.map((section) => {
    const price = formatPrice(section.price, inputs.show.currency);
    return section.rows.map((row) => {
      const seats = row.seats.map((id): SeatView => {
        const shown: Shown = selected.has(id) ? 'selected' : (inputs.seatMap.seats.get(id)?.status ?? 'held');
        const number = seatParts(id).number;
        // The name begins with what the seat shows (its number), so that speech input finds it (WCAG 2.5.3).
        const where = t('show.seatLabel', { section: section.name, row: row.label, number });
        const inert = Boolean(inputs.readonly) || shown === 'held' || shown === 'sold';
        const status = mine.has(id) ? t('status.yours') : words[shown];
        return { id, number, shown, label: `${where}, ${status}, ${price}`, inert, mine: mine.has(id) };
      });
      const key = `${section.id}/${row.label}`;
      const before = previous.get(key);
      if (before && before.seats.length === seats.length && before.seats.every((seat, i) => same(seat, seats[i]!))) return before;
      return { key, label: row.label, seats };
    });
  });
}
