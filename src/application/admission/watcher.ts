import type { MemberPlace } from '../ports/admission-queue.js';

/** An event stream as the queue watch sees it: told each new place, a failed look-up, or the shutdown. */
export interface PlaceListener {
  /** A changed place (admitted, closed, absent: at once), or the current one when due (positions). */
  place(place: MemberPlace, now: number): void;
  failed(error: unknown): void;
  /** The server is shutting down: end the stream (the client reconnects elsewhere). */
  drained(): void;
}

/**
 * One waiting connection: a long poll (resolve/reject) or an event stream (listener). Plain fields,
 * no timer or closure of its own: the watch's one timer serves them all. A member watched on two
 * connections has two, chained by `next`.
 */
export class Watcher {
  next: Watcher | undefined;
  /** When the queue was last asked about this member (an admitted listener's lease renewal). */
  askedAt: number;
  /** A listener is told its (unchanged) place again from then on. */
  dueAt: number;

  private constructor(
    readonly showId: string,
    readonly memberId: string,
    public place: MemberPlace,
    readonly deadline: number,
    now: number,
    readonly listener?: PlaceListener,
    readonly resolve?: (place: MemberPlace) => void,
    readonly reject?: (error: unknown) => void,
  ) {
    this.askedAt = now;
    this.dueAt = now + 1000;
  }

  static longPoll(
    showId: string,
    memberId: string,
    place: MemberPlace,
    deadline: number,
    resolve: (place: MemberPlace) => void,
    reject: (error: unknown) => void,
  ): Watcher {
    return new Watcher(showId, memberId, place, deadline, 0, undefined, resolve, reject);
  }

  static stream(showId: string, memberId: string, place: MemberPlace, listener: PlaceListener, now: number): Watcher {
    return new Watcher(showId, memberId, place, Infinity, now, listener);
  }
}
