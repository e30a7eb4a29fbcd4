import type { SectionDraft } from './show-draft.js';

/** What a seat of the builder's preview is: a plain seat, a wheelchair place or a companion seat. */
export type SeatKind = 'seat' | 'wheelchair' | 'companion';

/** The preview draws at most this many rows and seats per row (a section may have 500 × 500). */
export const PREVIEW_ROWS = 30;
export const PREVIEW_SEATS = 50;

export function seatKind(section: SectionDraft, key: string): SeatKind {
  if (section.wheelchair.includes(key)) return 'wheelchair';
  if (section.companions.includes(key)) return 'companion';
  return 'seat';
}

/** A click on a seat: seat → wheelchair place → companion seat → seat. */
export function cycleSeat(section: SectionDraft, key: string): SeatKind {
  const kind = seatKind(section, key);
  section.wheelchair = section.wheelchair.filter((k) => k !== key);
  section.companions = section.companions.filter((k) => k !== key);
  if (kind === 'seat') section.wheelchair.push(key);
  if (kind === 'wheelchair') section.companions.push(key);
  return kind === 'seat' ? 'wheelchair' : kind === 'wheelchair' ? 'companion' : 'seat';
}

/** A click on a seat number: an aisle after that seat in every row, or none. */
export function toggleAisle(section: SectionDraft, after: number): boolean {
  const has = section.aisles.includes(after);
  section.aisles = has ? section.aisles.filter((n) => n !== after) : [...section.aisles, after];
  return !has;
}

/** After rows or seats per row shrink: what lay outside the section goes (the API would refuse it). */
export function trimToSize(section: SectionDraft): void {
  const rows = Number(section.rows);
  const width = Number(section.seatsPerRow);
  if (!Number.isInteger(rows) || !Number.isInteger(width) || rows < 1 || width < 1) return;
  const inside = (key: string) => {
    const [r, n] = key.split('-').map(Number);
    return r! <= rows && n! <= width;
  };
  if (section.aisles.some((n) => n >= width)) section.aisles = section.aisles.filter((n) => n < width);
  if (!section.wheelchair.every(inside)) section.wheelchair = section.wheelchair.filter(inside);
  if (!section.companions.every(inside)) section.companions = section.companions.filter(inside);
}
