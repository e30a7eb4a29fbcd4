import { inject, injectable } from 'tsyringe';
import { mayCheckIn } from '../../domain/tickets/staff-role.js';
import { NotStaffOfShow } from '../../domain/tickets/tickets.errors.js';
import type { Principal } from '../ports/authenticator.js';
import type { Clock } from '../ports/clock.js';
import type { AdmittedTicket, DoorLists } from '../ports/door-lists.js';
import type { TicketPublicKey, TicketSigner } from '../ports/ticket-signer.js';
import { TOKENS } from '../tokens.js';

export interface DoorList {
  showId: string;
  /** When the lists were read: a scanner offline since then knows nothing newer. */
  asOf: string;
  keys: TicketPublicKey[];
  revokedReservations: string[];
  admitted: AdmittedTicket[];
}

/**
 * What a door scanner keeps to work offline: the keys that verify codes, the cancelled
 * reservations (revoked tickets) and the tickets already admitted. The server still decides each
 * check-in when the scanner syncs.
 */
@injectable()
export class DoorListHandler {
  constructor(
    @inject(TOKENS.DoorLists) private readonly lists: DoorLists,
    @inject(TOKENS.TicketSigner) private readonly signer: TicketSigner,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async handle(input: { showId: string; staff: Principal }): Promise<DoorList> {
    const { showId } = input;
    if (!mayCheckIn(input.staff.roles, showId)) throw new NotStaffOfShow(showId);
    const asOf = this.clock.now().toISOString();
    const [keys, revokedReservations, admitted] = await Promise.all([
      this.signer.publicKeys(),
      this.lists.revokedReservations(showId),
      this.lists.admitted(showId),
    ]);
    return { showId, asOf, keys, revokedReservations, admitted };
  }
}
