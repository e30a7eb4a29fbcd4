import type { InventoryEvent } from './booking.events.js';

export interface SeatClaim {
  holdId: string;
  /** Epoch ms; ignored once sold. */
  expiresAt: number;
  sold: boolean;
}

/** One inventory stream: taken seats of a section, or the holds and sales of a pool shard. */
export interface InventoryState {
  /** Seats that are held or sold; a seat not here is available. */
  seats: Map<string, SeatClaim>;
  /** Pool: tickets sold, and the quantity of each open hold. */
  sold: number;
  holds: Map<string, { quantity: number; expiresAt: number }>;
}

export const initialInventory = (): InventoryState => ({ seats: new Map(), sold: 0, holds: new Map() });

export function cloneInventory(state: InventoryState): InventoryState {
  return { seats: new Map(state.seats), sold: state.sold, holds: new Map(state.holds) };
}

/**
 * Folds one event into the state. It updates `state` in place and returns it (sections can hold
 * thousands of seats; callers that may discard the result work on `cloneInventory`).
 * A release only frees what the hold still has: an expired seat may already belong to another hold.
 */
export function evolveInventory(state: InventoryState, event: InventoryEvent): InventoryState {
  const { holdId } = event.data;
  switch (event.type) {
    case 'SeatsHeld': {
      const expiresAt = Date.parse(event.data.expiresAt);
      for (const seat of event.data.seats) state.seats.set(seat, { holdId, expiresAt, sold: false });
      if (event.data.seats.length === 0) state.holds.set(holdId, { quantity: event.data.quantity, expiresAt });
      return state;
    }
    case 'SeatsSold': {
      for (const seat of event.data.seats) {
        const claim = state.seats.get(seat);
        if (claim?.holdId === holdId) state.seats.set(seat, { ...claim, sold: true });
      }
      if (state.holds.delete(holdId)) state.sold += event.data.quantity;
      return state;
    }
    case 'SeatsReleased': {
      for (const seat of event.data.seats) {
        if (state.seats.get(seat)?.holdId === holdId) state.seats.delete(seat);
      }
      if (event.data.reason === 'cancelled' && event.data.seats.length === 0) state.sold -= event.data.quantity;
      else state.holds.delete(holdId);
      return state;
    }
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** A held seat whose hold has expired is free, whether or not the expiry has been recorded. */
export function seatTaken(state: InventoryState, seat: string, now: number): boolean {
  const claim = state.seats.get(seat);
  return Boolean(claim && (claim.sold || claim.expiresAt > now));
}

export function poolAvailable(state: InventoryState, capacity: number, now: number): number {
  let held = 0;
  for (const hold of state.holds.values()) if (hold.expiresAt > now) held += hold.quantity;
  return capacity - state.sold - held;
}
