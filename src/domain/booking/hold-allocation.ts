import { salesOpen } from '../catalog/show.decider.js';
import { seatExists, type InventoryPart } from '../catalog/show-layout.js';
import type { OrphanRule, SectionSpec } from '../catalog/show.events.js';
import { eligibleSections, pickBest } from './best-available.js';
import type { HoldSeats, QuantityRequest } from './booking.commands.js';
import { InvalidHoldRequest, LimitExceeded, OrphanSeat, SalesClosed, SeatsUnavailable } from './booking.errors.js';
import type { HoldPart, OrphanWarning } from './booking.events.js';
import type { BookingState } from './booking.decider.js';
import { freeRunsOf, initialInventory, poolAvailable, seatTaken } from './inventory.state.js';
import { ticketsCounted } from './ledger.state.js';
import { strandedSeats } from './orphan-rule.js';

export interface Allocation {
  parts: HoldPart[];
  /** Best available: whether the party sits side by side. */
  together?: boolean;
  warnings?: OrphanWarning[];
}

const RESERVED_ONLY = ['section', 'maxPrice', 'together', 'accessible'] as const;

/** Checks a hold against the sale window, the member's limit and the inventory; returns its parts. */
export function allocateHold(command: HoldSeats, state: BookingState): Allocation {
  if (!state.show.exists) throw new Error('allocateHold needs a scheduled show');
  const { show, parts } = state.show;
  const now = command.now.getTime();
  if (!salesOpen(show, command.now)) throw new SalesClosed();
  const reserved = 'sections' in show.seating;
  const requested = 'seats' in command.request ? command.request.seats.length : command.request.quantity;
  if ('seats' in command.request && !reserved) throw new InvalidHoldRequest('This show is general admission: ask for a quantity');
  const option = RESERVED_ONLY.find((name) => !reserved && name in command.request);
  if (option) throw new InvalidHoldRequest(`${option}: only for reserved seating`, { field: option });
  if (!Number.isInteger(requested) || requested < 1) throw new InvalidHoldRequest('Hold at least one ticket');
  const counted = ticketsCounted(state.ledger, now);
  if (counted + requested > show.maxTicketsPerMember) throw new LimitExceeded(show.maxTicketsPerMember, counted, requested);
  if (!('sections' in show.seating)) return { parts: allocatePool(command, parts, state, now) };
  const { sections } = show.seating;
  if ('seats' in command.request) return handPicked(command.request.seats, parts, state, now, sections, show.orphanSeats ?? 'off');
  return allocateBest(command.request, state, sections);
}

/** Best available: the pick happens here, on the same state the hold is decided on. */
function allocateBest(request: QuantityRequest, state: BookingState, sections: SectionSpec[]): Allocation {
  const candidates = eligibleSections(sections, request).map(({ spec, rank }) => ({
    spec,
    rank,
    runs: freeRunsOf((state.inventory[spec.id] ??= initialInventory()), spec),
  }));
  return pickBest(request, candidates);
}

/** Named seats, and the show's orphan rule on the single seats they would strand. */
function handPicked(
  seats: string[],
  parts: InventoryPart[],
  state: BookingState,
  now: number,
  sections: SectionSpec[],
  rule: OrphanRule,
): Allocation {
  const allocated = allocateSeats(seats, parts, state, now);
  if (rule === 'off') return { parts: allocated };
  const taken = (seat: string) => seatTaken(state.inventory[sectionOf(seat)] ?? initialInventory(), seat, now);
  const warnings = strandedSeats(seats, sections, taken);
  if (warnings.length === 0) return { parts: allocated };
  if (rule === 'refuse') throw new OrphanSeat(warnings[0]!.seat, warnings[0]!.suggestion);
  return { parts: allocated, warnings };
}

function allocateSeats(seats: string[], parts: InventoryPart[], state: BookingState, now: number): HoldPart[] {
  if (new Set(seats).size !== seats.length) throw new InvalidHoldRequest('A seat is named twice');
  const unknown = seats.filter((seat) => !seatExists(parts, seat));
  if (unknown.length) throw new InvalidHoldRequest(`No such seats: ${unknown.join(', ')}`, { seats: unknown });
  const taken = seats.filter((seat) => seatTaken(state.inventory[sectionOf(seat)] ?? initialInventory(), seat, now));
  if (taken.length) throw new SeatsUnavailable({ seats: taken });
  const bySection = new Map<string, string[]>();
  for (const seat of seats) bySection.set(sectionOf(seat), [...(bySection.get(sectionOf(seat)) ?? []), seat]);
  return [...bySection].map(([part, partSeats]) => ({
    part,
    seats: partSeats,
    quantity: partSeats.length,
    price: parts.find((p) => p.part === part)!.price,
  }));
}

function allocatePool(command: HoldSeats, parts: InventoryPart[], state: BookingState, now: number): HoldPart[] {
  let wanted = (command.request as { quantity: number }).quantity;
  const requested = wanted;
  const order = command.poolParts ?? parts.map((p) => p.part);
  const allocated: HoldPart[] = [];
  let available = 0;
  for (const name of order) {
    const part = parts.find((p) => p.part === name);
    if (!part) continue;
    const free = Math.max(0, poolAvailable(state.inventory[name] ?? initialInventory(), part.capacity!, now));
    available += free;
    const take = Math.min(free, wanted);
    if (take > 0) allocated.push({ part: name, seats: [], quantity: take, price: part.price });
    wanted -= take;
  }
  if (wanted > 0) throw new SeatsUnavailable({ requested, available });
  return allocated;
}

const sectionOf = (seat: string) => seat.slice(0, seat.indexOf('-'));
