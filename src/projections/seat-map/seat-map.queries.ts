import type { Knex } from 'knex';
import type { Clock } from '../../application/ports/clock.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import { SEAT_MAP_PROJECTION } from '../../application/booking/read-models.js';
import { liveTables } from '../table-names.js';
import { CACHE_MAX_MS, type ShowQueries } from '../catalog/show.queries.js';
import { compactSection, SEAT_LEGEND, type SeatMapSection, type TakenSeat } from './compact-seat-map.js';
import { SEATS } from './seat-map.projection.js';

export type { SeatStatus } from './compact-seat-map.js';

export type SeatMapView =
  | { showId: string; seating: 'reserved'; legend: typeof SEAT_LEGEND; sections: SeatMapSection[] }
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
    // every seat of the layout is available but those in these rows
    const rows = await this.knex(this.tables(SEATS))
      .select('section', 'row_number', 'seat_number', 'status', 'expires_at')
      .where({ show_id: showId })
      .whereNot({ status: 'available' });
    let until = now + CACHE_MAX_MS;
    const taken = new Map<string, TakenSeat[]>();
    for (const row of rows) {
      const expiresAt = row.expires_at == null ? undefined : Number(row.expires_at);
      if (row.status === 'held' && expiresAt !== undefined) {
        if (expiresAt <= now) continue;
        until = Math.min(until, expiresAt);
      }
      const list = taken.get(row.section) ?? [];
      taken.set(row.section, list);
      list.push({ row: Number(row.row_number), number: Number(row.seat_number), status: row.status === 'sold' ? 'sold' : 'held' });
    }
    const sections = show.seating.sections.map((spec) => compactSection(spec, taken.get(spec.id) ?? []));
    const value: SeatMapView = { showId, seating: 'reserved', legend: SEAT_LEGEND, sections };
    await this.cache.set(`seats:${showId}`, { value, until }, until - now);
    return value;
  }
}
