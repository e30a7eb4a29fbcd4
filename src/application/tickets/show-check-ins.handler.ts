import { inject, injectable } from 'tsyringe';
import { mayCheckIn } from '../../domain/tickets/staff-role.js';
import { NotStaffOfShow } from '../../domain/tickets/tickets.errors.js';
import type { Principal } from '../ports/authenticator.js';
import type { DoorLists, GateCount, GateForgeries } from '../ports/door-lists.js';
import { TOKENS } from '../tokens.js';

export interface ShowCheckIns {
  showId: string;
  /** Tickets admitted so far, and tickets sold (not cancelled). */
  checkedIn: number;
  total: number;
  gates: GateCount[];
  /** Forged codes scanned at this show's doors, per gate (an alert for the organizer). */
  forged: GateForgeries[];
}

/** How far the door is: admitted of sold, per gate. For the show's staff, staff of every show and admins. */
@injectable()
export class ShowCheckInsHandler {
  constructor(@inject(TOKENS.DoorLists) private readonly lists: DoorLists) {}

  async handle(input: { showId: string; staff: Principal }): Promise<ShowCheckIns> {
    if (!mayCheckIn(input.staff.roles, input.showId)) throw new NotStaffOfShow(input.showId);
    const [gates, total, forged] = await Promise.all([
      this.lists.gates(input.showId),
      this.lists.ticketsSold(input.showId),
      this.lists.forgedScans(input.showId),
    ]);
    const checkedIn = gates.reduce((sum, gate) => sum + gate.checkedIn, 0);
    return { showId: input.showId, checkedIn, total, gates, forged };
  }
}
