import type { LoadStats } from '../stats.js';
import { layoutOf, orphans, together, type HallSection } from './hall-map.js';

/** One party of the crowd: how many seats, and whether it wants the best section only (at first). */
export interface Party {
  size: number;
  wantsBest: boolean;
}

// 1–6 seats, most often 2 (couples), then 4 (families, friends): about 2.9 seats a party.
const SIZES = [1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 5, 6];

/**
 * The same crowd for every run of a comparison: a seeded sequence of parties, 80 % of whom want the
 * best (dearest) section. Virtual users take the next party in turn, so the order of arrival is
 * the same, whatever the scenario (the interleaving depends on the server's answers).
 */
export class Crowd {
  private x: number;
  constructor(seed = 24) {
    this.x = seed;
  }
  next(): Party {
    const size = SIZES[this.random() % SIZES.length]!;
    return { size, wantsBest: this.random() % 10 < 8 };
  }
  private random(): number {
    this.x = (Math.imul(this.x, 1103515245) + 12345) >>> 0;
    return this.x >>> 8;
  }
}

/** What a best-available comparison counts beyond bookings: refusals, togetherness, how full the hall was. */
export class SaleTally {
  /** 409s for seats someone else took first (or that would strand one): the collisions of a stale map. */
  collisions = 0;
  /** 409s that say what is left instead (none in that section or price, none side by side): the party widens. */
  refusals = 0;
  /** Bookings while less than 90 % of the hall was sold, and how many of them sat together. */
  early = 0;
  earlyTogether = 0;
  /** Parties who gave up (their size no longer fits the hall, or too many refusals). */
  gaveUp = 0;
  /** Single seats stranded when 90 % of the hall was sold, and at the end of the run. */
  orphansAt90?: number;
  /** Seats confirmed to the clients: the hall is counted from these, not from a read model that may lag. */
  private readonly sold = new Set<string>();
  private readonly layout: HallSection[];
  readonly capacity: number;

  /** `seats`: every seat id of the show (`<section>-<row>-<number>`), in the seed's order. */
  constructor(
    seats: string[],
    private readonly stats: LoadStats,
  ) {
    this.capacity = seats.length;
    this.layout = layoutOf(seats);
  }

  booked(seats: string[]): void {
    if (this.seatsSold < 0.9 * this.capacity) {
      this.early++;
      if (together(seats)) this.earlyTogether++;
    }
    for (const seat of seats) this.sold.add(seat);
    this.stats.booked(seats);
    if (this.orphansAt90 === undefined && this.seatsSold >= 0.9 * this.capacity) this.orphansAt90 = this.orphans();
  }

  get seatsSold(): number {
    return this.sold.size;
  }

  /** Single free seats in the hall as confirmed so far (held, unconfirmed seats count as free). */
  orphans(): number {
    return orphans(this.hall());
  }

  hall(): HallSection[] {
    return this.layout.map((section) => ({
      id: section.id,
      rows: section.rows.map((row, r) =>
        row.replace(/./g, (code, n: number) => (this.sold.has(`${section.id}-${r + 1}-${n + 1}`) ? 's' : code)),
      ),
    }));
  }
}
