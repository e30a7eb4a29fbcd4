import type { Show } from '../api/types.js';
import { t } from '../i18n/index.js';

/** The parts of a seat id `<section>-<row>-<number>` (a section id may itself hold dashes). */
export function seatParts(id: string): { section: string; row: string; number: string } {
  const parts = id.split('-');
  const number = parts.pop() ?? '';
  const row = parts.pop() ?? '';
  return { section: parts.join('-'), row, number };
}

/** A seat in words, for announcements: "A 구역 1열 5번" / "section A, row 1, seat 5". */
export function seatPlace(show: Show, id: string): string {
  const { section, row, number } = seatParts(id);
  const name = show.sections.find((s) => s.id === section)?.name ?? section;
  return t('show.seatPlace', { section: name, row, number });
}
