import type { Knex } from 'knex';
import { SALES_PROJECTION } from '../../application/booking/read-models.js';
import { liveTables } from '../table-names.js';
import { FIGURES } from './sales.projection.js';

export interface SalesFigures {
  showId: string;
  holdsPlaced: number;
  holdsConfirmed: number;
  holdsReleased: number;
  holdsExpired: number;
  reservationsCancelled: number;
  ticketsSold: number;
  revenue: number;
}

export class SalesQueries {
  private readonly tables = liveTables(SALES_PROJECTION);

  constructor(private readonly knex: Knex) {}

  async ofShow(showId: string): Promise<SalesFigures> {
    const row = (await this.knex(this.tables(FIGURES)).where({ show_id: showId }).first()) ?? {};
    const n = (value: unknown) => Number(value ?? 0);
    return {
      showId,
      holdsPlaced: n(row.holds_placed),
      holdsConfirmed: n(row.holds_confirmed),
      holdsReleased: n(row.holds_released),
      holdsExpired: n(row.holds_expired),
      reservationsCancelled: n(row.reservations_cancelled),
      ticketsSold: n(row.tickets_sold),
      revenue: n(row.revenue),
    };
  }
}
