import type { WaitlistEvent } from './waitlist.events.js';

export interface WaitlistEntry {
  memberId: string;
  quantity: number;
  joinedAt: string;
  /** `offered`: a hold is open in their name (`holdId`); they wait no more until it is settled. */
  status: 'waiting' | 'offered';
  holdId?: string;
}

export interface OpenOffer {
  memberId: string;
  holdId: string;
  part: string;
  seats: string[];
  quantity: number;
  expiresAt: string;
  source: string;
}

/** One show's list: the members on it in the order they joined, and the offers open now. */
export interface WaitlistState {
  entries: WaitlistEntry[];
  offers: Map<string, OpenOffer>;
  /** Events whose returned seats were offered already (a redelivery offers nothing more). */
  sources: Set<string>;
}

export const initialWaitlist = (): WaitlistState => ({ entries: [], offers: new Map(), sources: new Set() });

/** Folds one event in place and returns the state. */
export function evolveWaitlist(state: WaitlistState, event: WaitlistEvent): WaitlistState {
  const entry = state.entries.find((e) => e.memberId === event.data.memberId);
  switch (event.type) {
    case 'WaitlistJoined':
      state.entries.push({
        memberId: event.data.memberId,
        quantity: event.data.quantity,
        joinedAt: event.data.joinedAt,
        status: 'waiting',
      });
      return state;
    case 'WaitlistLeft':
      return remove(state, event.data.memberId);
    case 'WaitlistOffered': {
      const { memberId, holdId, part, seats, quantity, expiresAt, source } = event.data;
      state.sources.add(source);
      state.offers.set(holdId, { memberId, holdId, part, seats, quantity, expiresAt, source });
      if (entry) Object.assign(entry, { status: 'offered', holdId });
      return state;
    }
    case 'WaitlistOfferAccepted':
    case 'WaitlistOfferLapsed':
      state.offers.delete(event.data.holdId);
      return remove(state, event.data.memberId);
    case 'WaitlistOfferFailed':
      state.offers.delete(event.data.holdId);
      if (event.data.reason === 'limit') return remove(state, event.data.memberId);
      if (entry) {
        entry.status = 'waiting';
        delete entry.holdId;
      }
      return state;
    default: {
      const never: never = event;
      return never;
    }
  }
}

function remove(state: WaitlistState, memberId: string): WaitlistState {
  state.entries = state.entries.filter((e) => e.memberId !== memberId);
  return state;
}

/** The member's place among those still waiting (1 = next), or 0 while an offer is open to them. */
export function placeOf(state: WaitlistState, memberId: string): number | undefined {
  const entry = state.entries.find((e) => e.memberId === memberId);
  if (!entry) return undefined;
  if (entry.status === 'offered') return 0;
  return state.entries.filter((e) => e.status === 'waiting').indexOf(entry) + 1;
}

export const waitingCount = (state: WaitlistState) => state.entries.filter((e) => e.status === 'waiting').length;
