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

/** One row as drawn; `key` is stable across refreshes (`<section>/<row>`), `index` its place in the section (0-based). */
export interface RowView {
  key: string;
  label: string;
  index: number;
  seats: SeatView[];
}

interface Inputs {
  show: Show;
  seatMap: SeatMap;
  selected: string[];
  readonly?: boolean;
  highlighted?: string[];
}

/** What every seat's view is built from, worked out once per change of the map, the selection or the language. */
export interface ViewContext {
  shown: (id: string) => Shown;
  readonly: boolean;
  words: Record<Shown, string>;
  show: Show;
  /** The seats a best-available hold got for this buyer. */
  mine: Set<string>;
}

export function viewContext(inputs: Inputs): ViewContext {
  const selected = new Set(inputs.selected);
  const seats = inputs.seatMap.seats;
  return {
    shown: (id) => (selected.has(id) ? 'selected' : (seats.get(id)?.status ?? 'held')),
    readonly: Boolean(inputs.readonly),
    words: Object.fromEntries([...STATUSES, 'blocked' as const].map((status) => [status, t(`status.${status}`)])) as Record<Shown, string>,
    show: inputs.show,
    mine: new Set(inputs.highlighted),
  };
}

const same = (a: SeatView, b: SeatView) => a.shown === b.shown && a.label === b.label && a.inert === b.inert && a.mine === b.mine;

/**
 * One row's seats with their status and name. When nothing in it changed, the `before` view is
 * handed back as it was, so that a refresh of a 5,000-seat map redraws only the rows that moved.
 */
export function rowView(section: LayoutSection, index: number, context: ViewContext, before?: RowView): RowView {
  const row = section.rows[index]!;
  const price = formatPrice(section.price, context.show.currency);
  const seats = row.seats.map((id): SeatView => {
    const shown = context.shown(id);
    const number = seatParts(id).number;
    // The name begins with what the seat shows (its number), so that speech input finds it (WCAG 2.5.3).
    const where = t('show.seatLabel', { section: section.name, row: row.label, number });
    const inert = context.readonly || shown === 'held' || shown === 'sold' || shown === 'blocked';
    const mine = context.mine.has(id);
    const status = mine ? t('status.yours') : context.words[shown];
    // no seat there: no price to say
    const label = shown === 'blocked' ? `${where}, ${status}` : `${where}, ${status}, ${price}`;
    return { id, number, shown, label, inert, mine };
  });
  const key = `${section.id}/${row.label}`;
  if (before && before.index === index && before.seats.length === seats.length && before.seats.every((seat, i) => same(seat, seats[i]!)))
    return before;
  return { key, label: row.label, index, seats };
}
