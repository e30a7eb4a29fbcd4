import { LimitExceeded } from '../booking/booking.errors.js';
import type { Decider } from '../shared/decider.js';
import type { JoinWaitlist, LeaveWaitlist, OfferReturnedSeats, SettleOffer, WaitlistCommand } from './waitlist.commands.js';
import { AlreadyJoined, InvalidWaitlistQuantity, NotOnWaitlist, NotSoldOut, OfferOpen } from './waitlist.errors.js';
import type { WaitlistEvent, WaitlistOffered } from './waitlist.events.js';
import { evolveWaitlist, initialWaitlist, type WaitlistState } from './waitlist.state.js';

/**
 * One show's waiting list (stream `waitlist-<showId>`). Every offer is decided here, on the list's
 * own version: two offers of the same seats, or two members offered out of turn, cannot both append.
 */
export const waitlistDecider: Decider<WaitlistState, WaitlistCommand, WaitlistEvent> = {
  initialState: initialWaitlist,
  evolve: evolveWaitlist,
  decide(command, state) {
    switch (command.type) {
      case 'JoinWaitlist':
        return join(command, state);
      case 'LeaveWaitlist':
        return leave(command, state);
      case 'OfferReturnedSeats':
        return offer(command, state);
      case 'SettleOffer':
        return settle(command, state);
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

function join(command: JoinWaitlist, state: WaitlistState): WaitlistEvent[] {
  const { quantity, maxTicketsPerMember: max } = command;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > max) throw new InvalidWaitlistQuantity(max);
  if (state.entries.some((e) => e.memberId === command.memberId)) throw new AlreadyJoined();
  if (command.available > 0) throw new NotSoldOut(command.available);
  if (command.ticketsCounted + quantity > max) throw new LimitExceeded(max, command.ticketsCounted, quantity);
  const { showId, memberId } = command;
  return [{ type: 'WaitlistJoined', data: { showId, memberId, quantity, joinedAt: command.now.toISOString() } }];
}

function leave(command: LeaveWaitlist, state: WaitlistState): WaitlistEvent[] {
  const entry = state.entries.find((e) => e.memberId === command.memberId);
  if (!entry) throw new NotOnWaitlist();
  if (entry.status === 'offered') throw new OfferOpen(entry.holdId!);
  const { showId, memberId } = command;
  return [{ type: 'WaitlistLeft', data: { showId, memberId, leftAt: command.now.toISOString() } }];
}

/** Strict order: the first member waiting gets up to what they asked for, the rest goes to the next. */
function offer(command: OfferReturnedSeats, state: WaitlistState): WaitlistOffered[] {
  if (state.sources.has(command.source)) return [];
  const seats = [...command.seats];
  let left = command.quantity;
  const offers: WaitlistOffered[] = [];
  const expiresAt = new Date(command.now.getTime() + command.offerMinutes * 60_000).toISOString();
  for (const entry of state.entries) {
    if (left === 0) break;
    if (entry.status !== 'waiting') continue;
    const quantity = Math.min(entry.quantity, left);
    left -= quantity;
    offers.push({
      type: 'WaitlistOffered',
      data: {
        showId: command.showId,
        memberId: entry.memberId,
        holdId: command.holdIds[offers.length]!,
        part: command.part,
        seats: seats.splice(0, seats.length > 0 ? quantity : 0),
        quantity,
        expiresAt,
        offeredAt: command.now.toISOString(),
        source: command.source,
      },
    });
  }
  return offers;
}

function settle(command: SettleOffer, state: WaitlistState): WaitlistEvent[] {
  const open = state.offers.get(command.holdId);
  if (!open) return [];
  const base = { showId: command.showId, memberId: open.memberId, holdId: open.holdId };
  const at = command.now.toISOString();
  switch (command.outcome) {
    case 'confirmed':
      return [{ type: 'WaitlistOfferAccepted', data: { ...base, acceptedAt: at } }];
    case 'released':
      return [{ type: 'WaitlistOfferLapsed', data: { ...base, reason: 'declined', lapsedAt: at } }];
    case 'expired':
      return [{ type: 'WaitlistOfferLapsed', data: { ...base, reason: 'expired', lapsedAt: at } }];
    default:
      return [{ type: 'WaitlistOfferFailed', data: { ...base, reason: command.outcome, failedAt: at } }];
  }
}
