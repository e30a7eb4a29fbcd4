import { ShowNotFound } from '../catalog/catalog.errors.js';
import { showDecider, type ShowState } from '../catalog/show.decider.js';
import type { ShowEvent } from '../catalog/show.events.js';
import type { Decider } from '../shared/decider.js';
import type { BookingCommand, CancelReservation, ConfirmHold, ExpireHold, HoldSeats, ReleaseHold } from './booking.commands.js';
import { HoldHasExpired, HoldNotActive, HoldNotFound, ReservationNotFound, ShowStarted, TicketsAlreadyUsed } from './booking.errors.js';
import { isInventoryEvent, type BookingEvent, type HoldPart, type SeatsReleased } from './booking.events.js';
import { allocateHold } from './hold-allocation.js';
import { evolveInventory, initialInventory, type InventoryState } from './inventory.state.js';
import { evolveLedger, findReservation, initialLedger, type LedgerHold, type LedgerState } from './ledger.state.js';

/**
 * A booking touches several streams at once: the show (read only), the member's ledger for that
 * show, and the inventory streams of the seats involved. The state holds one of each; events say
 * which inventory stream they belong to through `part`.
 */
export interface BookingState {
  show: ShowState;
  ledger: LedgerState;
  inventory: Record<string, InventoryState>;
}

export const bookingDecider: Decider<BookingState, BookingCommand, BookingEvent | ShowEvent> = {
  initialState: () => ({ show: showDecider.initialState(), ledger: initialLedger(), inventory: {} }),
  evolve(state, event) {
    if (event.type === 'ShowScheduled' || event.type === 'ShowSaleChanged') {
      return { ...state, show: showDecider.evolve(state.show, event) };
    }
    if (isInventoryEvent(event)) {
      const part = event.data.part;
      state.inventory[part] = evolveInventory(state.inventory[part] ?? initialInventory(), event);
      return state;
    }
    state.ledger = evolveLedger(state.ledger, event);
    return state;
  },
  decide(command, state) {
    switch (command.type) {
      case 'HoldSeats':
        return holdSeats(command, state);
      case 'ConfirmHold':
        return confirmHold(command, state);
      case 'ReleaseHold':
        return releaseHold(command, state);
      case 'ExpireHold':
        return expireHold(command, state);
      case 'CancelReservation':
        return cancelReservation(command, state);
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

function holdSeats(command: HoldSeats, state: BookingState): BookingEvent[] {
  if (!state.show.exists) throw new ShowNotFound(command.showId);
  if (state.ledger.holds.has(command.holdId)) return []; // the same request again: the first answer stands
  const { show } = state.show;
  const { parts, together, warnings } = allocateHold(command, state);
  const seats = parts.flatMap((p) => p.seats);
  const quantity = parts.reduce((sum, p) => sum + p.quantity, 0);
  const expiresAt = command.expiresAt.toISOString();
  const base = { showId: command.showId, holdId: command.holdId };
  return [
    ...parts.map((p) => ({
      type: 'SeatsHeld' as const,
      data: { ...base, part: p.part, memberId: command.memberId, seats: p.seats, quantity: p.quantity, expiresAt },
    })),
    {
      type: 'HoldPlaced',
      data: {
        ...base,
        memberId: command.memberId,
        parts,
        seats,
        quantity,
        total: parts.reduce((sum, p) => sum + p.quantity * p.price, 0),
        currency: show.currency,
        expiresAt,
        placedAt: command.now.toISOString(),
        ...(together === undefined ? {} : { together }),
        ...(warnings ? { warnings } : {}),
        ...(command.admittedAt === undefined ? {} : { admittedAt: new Date(command.admittedAt).toISOString() }),
        ...(command.waitlistOffer ? { waitlistOffer: true as const } : {}),
      },
    },
  ];
}

function confirmHold(command: ConfirmHold, state: BookingState): BookingEvent[] {
  const hold = state.ledger.holds.get(command.holdId);
  if (!hold) throw new HoldNotFound(command.holdId);
  if (hold.status === 'confirmed') return [];
  if (hold.status === 'expired' || (hold.status === 'held' && hold.expiresAt <= command.now.getTime())) {
    throw new HoldHasExpired(command.holdId);
  }
  if (hold.status !== 'held') throw new HoldNotActive(command.holdId, hold.status);
  const base = { showId: command.showId, holdId: hold.holdId, reservationId: command.reservationId };
  return [
    ...hold.parts.map((p) => ({ type: 'SeatsSold' as const, data: { ...base, part: p.part, seats: p.seats, quantity: p.quantity } })),
    {
      type: 'HoldConfirmed',
      data: {
        ...base,
        memberId: command.memberId,
        seats: hold.seats,
        quantity: hold.quantity,
        total: hold.total,
        currency: hold.currency,
        confirmedAt: command.now.toISOString(),
        waitlistOffer: hold.waitlistOffer === true,
      },
    },
  ];
}

function releaseHold(command: ReleaseHold, state: BookingState): BookingEvent[] {
  const hold = state.ledger.holds.get(command.holdId);
  if (!hold) throw new HoldNotFound(command.holdId);
  if (hold.status === 'released' || hold.status === 'expired') return [];
  if (hold.status !== 'held') throw new HoldNotActive(command.holdId, hold.status);
  if (hold.expiresAt <= command.now.getTime()) return expired(command, hold);
  const base = { showId: command.showId, memberId: command.memberId, holdId: hold.holdId };
  return [
    ...released(command.showId, hold, hold.parts, 'released'),
    { type: 'HoldReleased', data: { ...base, releasedAt: command.now.toISOString() } },
  ];
}

function expireHold(command: ExpireHold, state: BookingState): BookingEvent[] {
  const hold = state.ledger.holds.get(command.holdId);
  if (!hold || hold.status !== 'held' || hold.expiresAt > command.now.getTime()) return [];
  return expired(command, hold);
}

function expired(command: ExpireHold | ReleaseHold, hold: LedgerHold): BookingEvent[] {
  return [
    ...released(command.showId, hold, hold.parts, 'expired'),
    {
      type: 'HoldExpired',
      data: { showId: command.showId, memberId: command.memberId, holdId: hold.holdId, expiredAt: command.now.toISOString() },
    },
  ];
}

function cancelReservation(command: CancelReservation, state: BookingState): BookingEvent[] {
  const hold = findReservation(state.ledger, command.reservationId);
  if (!hold) throw new ReservationNotFound(command.reservationId);
  if (hold.status === 'cancelled') return [];
  if (!state.show.exists) throw new ShowNotFound(command.showId);
  if (command.now.getTime() >= Date.parse(state.show.show.startsAt)) throw new ShowStarted();
  if (command.checkedIn?.length) throw new TicketsAlreadyUsed(command.reservationId, command.checkedIn);
  return [
    ...released(command.showId, hold, hold.parts, 'cancelled'),
    {
      type: 'ReservationCancelled',
      data: {
        showId: command.showId,
        memberId: command.memberId,
        holdId: hold.holdId,
        reservationId: command.reservationId,
        seats: hold.seats,
        quantity: hold.quantity,
        total: hold.total,
        cancelledAt: command.now.toISOString(),
        ...(command.by === undefined ? {} : { by: command.by, reason: command.reason ?? '' }),
      },
    },
  ];
}

function released(showId: string, hold: LedgerHold, parts: HoldPart[], reason: SeatsReleased['data']['reason']): SeatsReleased[] {
  return parts.map((p) => ({
    type: 'SeatsReleased',
    data: { showId, part: p.part, holdId: hold.holdId, seats: p.seats, quantity: p.quantity, reason },
  }));
}
