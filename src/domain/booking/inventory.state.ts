import { sectionLayout } from '../catalog/section-layout.js';
import type { SectionSpec } from '../catalog/show.events.js';
import type { InventoryEvent } from './booking.events.js';
import { buildFreeRuns, cloneFreeRuns, markSeats, type FreeRuns } from './free-runs.js';

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
  /**
   * Reserved section: its free runs, built from `seats` the first time best available needs them
   * (the layout is the show's) and kept up to date by every event after that.
   */
  runs?: FreeRuns;
}

export const initialInventory = (): InventoryState => ({ seats: new Map(), sold: 0, holds: new Map() });

export function cloneInventory(state: InventoryState): InventoryState {
  const clone: InventoryState = { seats: new Map(state.seats), sold: state.sold, holds: new Map(state.holds) };
  if (state.runs) clone.runs = cloneFreeRuns(state.runs);
  return clone;
}

/** The section's free runs: built once from the claimed seats (linear), then kept by `evolveInventory`. */
export function freeRunsOf(state: InventoryState, section: SectionSpec): FreeRuns {
  if (!state.runs) {
    const layout = sectionLayout(section);
    state.runs = buildFreeRuns(
      layout,
      [...state.seats.keys()].map((seat) => seatIndex(layout.width, seat)),
    );
  }
  return state.runs;
}

/** `A-3-7` in a section `width` seats wide → its index (row-major, from 0). */
function seatIndex(width: number, seat: string): number {
  const end = seat.lastIndexOf('-');
  const row = Number(seat.slice(seat.indexOf('-') + 1, end));
  return (row - 1) * width + Number(seat.slice(end + 1)) - 1;
}

const indexes = (runs: FreeRuns, seats: string[]) => seats.map((seat) => seatIndex(runs.layout.width, seat));

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
      if (state.runs) markSeats(state.runs, indexes(state.runs, event.data.seats), 1);
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
      const freed = event.data.seats.filter((seat) => state.seats.get(seat)?.holdId === holdId);
      for (const seat of freed) state.seats.delete(seat);
      if (state.runs && freed.length) markSeats(state.runs, indexes(state.runs, freed), 0);
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
