import type { WaitlistCommand } from '../../domain/waitlist/waitlist.commands.js';
import { waitlistDecider } from '../../domain/waitlist/waitlist.decider.js';
import { waitlistStreamId, type WaitlistEvent } from '../../domain/waitlist/waitlist.events.js';
import type { WaitlistState } from '../../domain/waitlist/waitlist.state.js';
import type { EventStore } from '../ports/event-store.js';
import { hasCode } from '../members/error-code.js';
import { derivedUuid } from '../booking/idempotent.js';

export interface LoadedWaitlist {
  state: WaitlistState;
  version: number;
}

/** Attempts before a list that keeps moving under us gives up with the last conflict (a crowd joining at once). */
const MAX_ATTEMPTS = 25;

/** The show's list as its stream tells it now. */
export async function loadWaitlist(store: EventStore, showId: string): Promise<LoadedWaitlist> {
  let state = waitlistDecider.initialState();
  let version = 0;
  for (const event of await store.readStream(waitlistStreamId(showId))) {
    state = waitlistDecider.evolve(state, { type: event.type, data: event.data } as WaitlistEvent);
    version = event.version;
  }
  return { state, version };
}

/**
 * Decides `commands` one after the other on the list as it is (each sees the events of the ones
 * before), appends them at the version read, and decides again on a conflict. Event ids derive
 * from the version and content, so a retried append of the same decision is the same write.
 */
export async function decideOnWaitlist(
  store: EventStore,
  showId: string,
  commands: (state: WaitlistState) => WaitlistCommand[],
): Promise<{ events: WaitlistEvent[]; state: WaitlistState }> {
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await loadWaitlist(store, showId);
    const events: WaitlistEvent[] = [];
    for (const command of commands(state)) {
      for (const event of waitlistDecider.decide(command, state)) {
        waitlistDecider.evolve(state, event);
        events.push(event);
      }
    }
    if (events.length === 0) return { events, state };
    try {
      const streamId = waitlistStreamId(showId);
      await store.append(
        streamId,
        events.map((e, i) => ({ id: derivedUuid('waitlist-event', streamId, String(version + i + 1), JSON.stringify(e)), ...e })),
        version || 'no_stream',
      );
      return { events, state };
    } catch (error) {
      if (!hasCode(error, 'EVENT_STORE.WRONG_EXPECTED_VERSION') || attempt >= MAX_ATTEMPTS) throw error;
      // the losers of a race spread out before reading again, else they meet again
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10) * 4));
    }
  }
}
