import type { Knex } from 'knex';
import type { Clock } from '../../application/ports/clock.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import { SEAT_MAP_PROJECTION } from '../../application/booking/read-models.js';
import { liveTables } from '../engine/table-names.js';
import { CACHE_MAX_MS, type ShowQueries } from '../shows/show.queries.js';
import { SEATS } from './seat-map.projection.js';

export type SeatStatus = 'available' | 'held' | 'sold';

export type SeatMapView =
  | {
      showId: string;
      seating: 'reserved';
      seats: { id: string; section: string; row: number; number: number; price: number; status: SeatStatus }[];
    }
  | { showId: string; seating: 'general'; capacity: number; remaining: number; price: number };

/** The seat map of a show, through the read cache; a hold past its deadline shows as available. */
export class SeatMapQueries {
  private readonly tables = liveTables(SEAT_MAP_PROJECTION);

  constructor(
    private readonly knex: Knex,
    private readonly cache: ReadCache,
    private readonly clock: Clock,
    private readonly shows: ShowQueries,
  ) {}

  async get(showId: string): Promise<SeatMapView | undefined> {
    const show = await this.shows.get(showId);
    if (!show) return undefined;
    if ('generalAdmission' in show.seating) {
      return { showId, seating: 'general', capacity: show.capacity, remaining: show.remaining, price: show.seating.generalAdmission.price };
    }
    const now = this.clock.now().getTime();
    const cached = await this.cache.get<{ value: SeatMapView; until: number }>(`seats:${showId}`);
    if (cached && cached.until > now) return cached.value;
    const rows = await this.knex(this.tables(SEATS))
      .where({ show_id: showId })
      .orderBy([{ column: 'section' }, { column: 'row_number' }, { column: 'seat_number' }]);
    let until = now + CACHE_MAX_MS;
    const seats = rows.map((row) => {
      const expiresAt = row.expires_at == null ? undefined : Number(row.expires_at);
      let status = row.status as SeatStatus;
      if (status === 'held' && expiresAt !== undefined && expiresAt <= now) status = 'available';
      if (status === 'held' && expiresAt !== undefined) until = Math.min(until, expiresAt);
      return {
        id: row.seat_id as string,
        section: row.section as string,
        row: Number(row.row_number),
        number: Number(row.seat_number),
        price: Number(row.price),
        status,
      };
    });
    const value: SeatMapView = { showId, seating: 'reserved', seats };
    await this.cache.set(`seats:${showId}`, { value, until }, until - now);
    return value;
  }
}
