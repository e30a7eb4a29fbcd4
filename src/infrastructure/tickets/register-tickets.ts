import type { DependencyContainer } from 'tsyringe';
import type { Clock } from '../../application/ports/clock.js';
import { TOKENS } from '../../application/tokens.js';
import { ReservationQueries } from '../../projections/reservations/reservations.queries.js';
import type { Knex } from '../database/knex.js';
import { DoorQueries } from '../../projections/checkins/door.queries.js';
import { checkInMetrics } from './check-in.metrics.js';
import { Ed25519TicketSigner } from './ed25519-ticket-signer.js';
import { SqlTicketKeyRing } from './sql-ticket-key-ring.js';

/** E-tickets and check-in: the key ring and its signer, who owns a reservation, the door's read models and counter. Needs booking registered first. */
export function registerTickets(container: DependencyContainer, parts: { knex: Knex }): void {
  const ring = new SqlTicketKeyRing(parts.knex);
  container.register(SqlTicketKeyRing, { useValue: ring });
  container.register(TOKENS.TicketSigner, { useValue: new Ed25519TicketSigner(ring, container.resolve<Clock>(TOKENS.Clock)) });
  container.register(TOKENS.ReservationOwners, { useValue: container.resolve(ReservationQueries) });
  container.register(TOKENS.DoorLists, { useValue: new DoorQueries(parts.knex) });
  container.register(TOKENS.CheckInMetrics, { useValue: checkInMetrics });
}
