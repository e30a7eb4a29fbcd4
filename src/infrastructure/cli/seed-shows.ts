import type { OrphanRule, ShowDefinition } from '../../domain/catalog/show.events.js';
import type { ShowKind } from './seed-output.js';

export interface ShowSize {
  /** General admission: the pool. */
  capacity: number;
  /** Reserved: about this many seats, in sections of 25 seats a row. */
  seats: number;
  maxTicketsPerMember: number;
  admitPerSecond: number;
  maxActive: number;
  /** Reserved: the show's rule for hand-picked holds that strand a single seat (absent: off). */
  orphanSeats?: OrphanRule;
}

const SEATS_PER_ROW = 25;
const SECTION_IDS = 'ABCDEFGH';

/** A show on sale now (sales opened a minute ago, the show in thirty days) of the given kind. */
export function seedShowDefinition(kind: ShowKind, size: ShowSize, now: Date): ShowDefinition {
  const queued = kind.endsWith('-queue');
  const reserved = kind.startsWith('reserved');
  return {
    title: `Load test: ${kind} ${now.toISOString()}`,
    venue: 'Loopback Hall',
    startsAt: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
    salesOpenAt: new Date(now.getTime() - 60_000).toISOString(),
    maxTicketsPerMember: size.maxTicketsPerMember,
    currency: 'EUR',
    seating: reserved ? { sections: sections(size.seats) } : { generalAdmission: { capacity: size.capacity, price: 4500 } },
    queue: { enabled: queued, admitPerSecond: size.admitPerSecond, maxActive: size.maxActive },
    ...(reserved && size.orphanSeats ? { orphanSeats: size.orphanSeats } : {}),
  };
}

/** Up to eight sections (one inventory stream each) of whole rows. */
function sections(seats: number) {
  const count = Math.max(1, Math.min(SECTION_IDS.length, Math.ceil(seats / 250)));
  const rows = Math.max(1, Math.ceil(seats / (count * SEATS_PER_ROW)));
  return Array.from({ length: count }, (_, i) => ({
    id: SECTION_IDS[i]!,
    name: `Section ${SECTION_IDS[i]}`,
    rows,
    seatsPerRow: SEATS_PER_ROW,
    price: 9000 - i * 500,
  }));
}

/** Every seat id of a show (`<section>-<row>-<number>`), or none for general admission. */
export function seatIds(show: ShowDefinition): string[] {
  if (!('sections' in show.seating)) return [];
  const ids: string[] = [];
  for (const section of show.seating.sections) {
    for (let row = 1; row <= section.rows; row++) {
      for (let seat = 1; seat <= section.seatsPerRow; seat++) ids.push(`${section.id}-${row}-${seat}`);
    }
  }
  return ids;
}
