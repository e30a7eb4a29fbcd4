import type { Knex } from 'knex';
import { RESERVATIONS_PROJECTION, SHOWS_PROJECTION } from '../../application/booking/read-models.js';
import { MEMBERS_PROJECTION } from '../../application/members/members.ports.js';
import { ACCOUNTS } from '../members/members.projection.js';
import { SHOWS } from '../catalog/shows.projection.js';
import { liveTables } from '../table-names.js';
import { RESERVATIONS } from './reservations.projection.js';

/** A reservation as the organizer sees it: with the buyer's address and name (absent once they withdrew). */
export interface BuyerReservation {
  reservationId: string;
  showId: string;
  showTitle?: string;
  memberId: string;
  email?: string;
  name?: string;
  seats: string[];
  quantity: number;
  total: number;
  currency: string;
  status: 'confirmed' | 'cancelled';
  confirmedAt: string;
  cancelledAt?: string;
}

export interface ReservationSearch {
  showId?: string;
  /** Exact address (compared lower-cased). */
  email?: string;
  /** Part of the name, any case. */
  name?: string;
  /** A seat id such as `A-3-7`. */
  seat?: string;
  limit?: number;
}

/** The organizer's look-ups in the reservations read model, joined with the members and shows read models. */
export class AdminReservationQueries {
  private readonly reservations = liveTables(RESERVATIONS_PROJECTION)(RESERVATIONS);
  private readonly accounts = liveTables(MEMBERS_PROJECTION)(ACCOUNTS);
  private readonly shows = liveTables(SHOWS_PROJECTION)(SHOWS);

  constructor(private readonly knex: Knex) {}

  async search(by: ReservationSearch): Promise<BuyerReservation[]> {
    const r = this.reservations;
    const a = this.accounts;
    const query = this.knex(r)
      .leftJoin(a, `${a}.member_id`, `${r}.member_id`)
      .leftJoin(this.shows, `${this.shows}.show_id`, `${r}.show_id`)
      .select(`${r}.*`, `${a}.email`, `${a}.name`, `${this.shows}.title`)
      .orderBy(`${r}.confirmed_at`, 'desc')
      .limit(by.limit ?? 200);
    if (by.showId) query.where(`${r}.show_id`, by.showId);
    if (by.email) query.where(`${a}.email`, by.email.toLowerCase());
    // the database's collation is binary: compare lower-cased, and escape LIKE's wildcards
    if (by.name) query.whereRaw(`lower(${a}.name) like ? escape '!'`, [`%${likeEscaped(by.name.toLowerCase())}%`]);
    if (by.seat) query.where(`${r}.seats`, 'like', `%"${by.seat}"%`);
    return (await query).map(toReservation);
  }
}

function likeEscaped(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

function toReservation(row: Record<string, any>): BuyerReservation {
  return {
    reservationId: row.reservation_id,
    showId: row.show_id,
    ...(row.title ? { showTitle: row.title } : {}),
    memberId: row.member_id,
    ...(row.email ? { email: row.email, name: row.name } : {}),
    seats: JSON.parse(row.seats) as string[],
    quantity: Number(row.quantity),
    total: Number(row.total),
    currency: row.currency,
    status: row.status,
    confirmedAt: row.confirmed_at,
    ...(row.cancelled_at ? { cancelledAt: row.cancelled_at } : {}),
  };
}
