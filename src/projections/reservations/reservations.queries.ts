import type { Knex } from 'knex';
import type { ReservationOwners } from '../../application/ports/reservation-owners.js';
import { RESERVATIONS_PROJECTION, SHOWS_PROJECTION } from '../../application/booking/read-models.js';
import { liveTables } from '../table-names.js';
import { SHOWS } from '../catalog/shows.projection.js';
import { RESERVATIONS } from './reservations.projection.js';

export interface MemberReservation {
  reservationId: string;
  showId: string;
  showTitle?: string;
  startsAt?: string;
  seats: string[];
  quantity: number;
  total: number;
  currency: string;
  status: 'confirmed' | 'cancelled';
  confirmedAt: string;
  cancelledAt?: string;
}

export class ReservationQueries implements ReservationOwners {
  private readonly tables = liveTables(RESERVATIONS_PROJECTION);
  private readonly shows = liveTables(SHOWS_PROJECTION);

  constructor(private readonly knex: Knex) {}

  async ofMember(memberId: string, limit = 500): Promise<MemberReservation[]> {
    const r = this.tables(RESERVATIONS);
    const s = this.shows(SHOWS);
    const rows = await this.knex(r)
      .leftJoin(s, `${s}.show_id`, `${r}.show_id`)
      .select(`${r}.*`, `${s}.title`, `${s}.starts_at`)
      .where(`${r}.member_id`, memberId)
      .orderBy(`${r}.confirmed_at`, 'desc')
      .limit(limit);
    return rows.map((row) => ({
      reservationId: row.reservation_id,
      showId: row.show_id,
      showTitle: row.title ?? undefined,
      startsAt: row.starts_at ?? undefined,
      seats: JSON.parse(row.seats),
      quantity: Number(row.quantity),
      total: Number(row.total),
      currency: row.currency,
      status: row.status,
      confirmedAt: row.confirmed_at,
      cancelledAt: row.cancelled_at ?? undefined,
    }));
  }

  async ownerOf(reservationId: string): Promise<string | undefined> {
    const row = await this.knex(this.tables(RESERVATIONS)).where({ reservation_id: reservationId }).first('member_id');
    return (row as { member_id: string } | undefined)?.member_id;
  }
}
