import type { Knex } from 'knex';
import type { AdmittedTicket, DoorLists, GateCount, GateForgeries } from '../../application/ports/door-lists.js';
import { RESERVATIONS_PROJECTION, SALES_PROJECTION } from '../../application/booking/read-models.js';
import { CHECKINS_PROJECTION, FORGED_SCANS_PROJECTION } from '../../application/tickets/read-models.js';
import { RESERVATIONS } from '../reservations/reservations.projection.js';
import { FIGURES } from '../sales/sales.projection.js';
import { liveTables } from '../table-names.js';
import { ADMITTED } from './checkins.projection.js';
import { FORGED } from './forged-scans.projection.js';

/** The door's figures and lists from the check-ins, reservations and sales read models. */
export class DoorQueries implements DoorLists {
  private readonly checkins = liveTables(CHECKINS_PROJECTION);
  private readonly reservations = liveTables(RESERVATIONS_PROJECTION);
  private readonly sales = liveTables(SALES_PROJECTION);
  private readonly forged = liveTables(FORGED_SCANS_PROJECTION);

  constructor(private readonly knex: Knex) {}

  async gates(showId: string): Promise<GateCount[]> {
    const rows: Array<{ gate: string; n: number | string; last: string }> = await this.knex(this.checkins(ADMITTED))
      .where({ show_id: showId })
      .groupBy('gate')
      .select('gate', this.knex.raw('count(*) as n'), this.knex.raw('max(checked_in_at) as last'));
    return rows
      .map((row) => ({ gate: String(row.gate), checkedIn: Number(row.n), lastAt: String(row.last) }))
      .sort((a, b) => b.checkedIn - a.checkedIn || a.gate.localeCompare(b.gate));
  }

  async forgedScans(showId: string): Promise<GateForgeries[]> {
    const rows: Array<{ gate: string; n: number | string; last: string }> = await this.knex(this.forged(FORGED))
      .where({ show_id: showId })
      .groupBy('gate')
      .select('gate', this.knex.raw('count(*) as n'), this.knex.raw('max(scanned_at) as last'));
    return rows
      .map((row) => ({ gate: String(row.gate), forged: Number(row.n), lastAt: String(row.last) }))
      .sort((a, b) => b.forged - a.forged || a.gate.localeCompare(b.gate));
  }

  async ticketsSold(showId: string): Promise<number> {
    const row = await this.knex(this.sales(FIGURES)).where({ show_id: showId }).first('tickets_sold');
    return Number((row as { tickets_sold?: number } | undefined)?.tickets_sold ?? 0);
  }

  async admitted(showId: string): Promise<AdmittedTicket[]> {
    const rows = await this.knex(this.checkins(ADMITTED)).where({ show_id: showId }).select('ticket_id', 'gate', 'checked_in_at');
    return rows.map((row) => ({ ticketId: row.ticket_id, gate: row.gate, checkedInAt: row.checked_in_at }));
  }

  async revokedReservations(showId: string): Promise<string[]> {
    const rows = await this.knex(this.reservations(RESERVATIONS)).where({ show_id: showId, status: 'cancelled' }).select('reservation_id');
    return rows.map((row) => String(row.reservation_id));
  }
}
