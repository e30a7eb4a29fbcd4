import { seatBlocked, sectionSeats } from './section-layout.js';
import type { SectionSpec, ShowDefinition } from './show.events.js';

/** One inventory stream of a show: a section of reserved seats, or a shard of a general-admission pool. */
export interface InventoryPart {
  /** Section id (`A`) or pool shard (`ga0`); the stream is `inventory-<showId>-<part>`. */
  part: string;
  kind: 'seats' | 'pool';
  price: number;
  /** Reserved seating: the section's rows and seats per row. */
  rows?: number;
  seatsPerRow?: number;
  /** Reserved seating: the section as scheduled (rank, focal point, aisles, accessible seats). */
  section?: SectionSpec;
  /** Pool shard: its share of the capacity. */
  capacity?: number;
}

/** A pool is split so that no shard is a single hot stream; small pools stay whole. */
export const TICKETS_PER_SHARD = 25;
export const MAX_SHARDS = 16;

export function inventoryParts(show: ShowDefinition): InventoryPart[] {
  if ('sections' in show.seating) {
    return show.seating.sections.map((s) => ({
      part: s.id,
      kind: 'seats',
      price: s.price,
      rows: s.rows,
      seatsPerRow: s.seatsPerRow,
      section: s,
    }));
  }
  const { capacity, price } = show.seating.generalAdmission;
  const shards = Math.max(1, Math.min(MAX_SHARDS, Math.floor(capacity / TICKETS_PER_SHARD)));
  return Array.from({ length: shards }, (_, i) => ({
    part: `ga${i}`,
    kind: 'pool',
    price,
    capacity: Math.floor(capacity / shards) + (i < capacity % shards ? 1 : 0),
  }));
}

export function totalCapacity(show: ShowDefinition): number {
  if ('generalAdmission' in show.seating) return show.seating.generalAdmission.capacity;
  return show.seating.sections.reduce((sum, s) => sum + sectionSeats(s), 0);
}

const SEAT_ID = /^([A-Za-z0-9]{1,8})-([1-9][0-9]{0,3})-([1-9][0-9]{0,3})$/;

/** `A-3-7` → section A, row 3, seat 7; undefined when the id is malformed. */
export function parseSeatId(seatId: string): { section: string; row: number; number: number } | undefined {
  const match = SEAT_ID.exec(seatId);
  if (!match) return undefined;
  return { section: match[1]!, row: Number(match[2]), number: Number(match[3]) };
}

/** True when the seat exists in the show's layout: inside a section and not left out of it. */
export function seatExists(parts: InventoryPart[], seatId: string): boolean {
  const seat = parseSeatId(seatId);
  const part = seat && parts.find((p) => p.kind === 'seats' && p.part === seat.section);
  if (!seat || !part || seat.row > part.rows! || seat.number > part.seatsPerRow!) return false;
  return !part.section || !seatBlocked(part.section, seat.row, seat.number);
}
