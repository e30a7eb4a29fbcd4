import type { AdmissionNews, Admissions } from '../ports/admission-news.js';
import type { AdmissionQueue, LeasePolicy, MemberPlace } from '../ports/admission-queue.js';
import type { Clock } from '../ports/clock.js';
import { untilNextTick } from './status-grid.js';

/** A long poll: how long a waiting member's answer may be held back, and who may end it sooner. */
export interface LongPoll {
  waitMs: number;
  /** Aborted when the client goes away: answer (to nobody) and stop looking. */
  signal?: AbortSignal;
}

interface Waiter {
  deadline: number;
  last: MemberPlace;
  resolve(place: MemberPlace): void;
  reject(error: unknown): void;
}

/** Members looked up in one script call at most (bounds the call's arguments and its time in Redis). */
const LOOKUP_CHUNK = 1000;

/**
 * Everyone in this process whose answer waits for their turn (long polls): one timer on the
 * wall-clock grid and one queue look-up per show and tick for all of them, and an answer at once
 * for members the news says were admitted. A waiter costs an entry in a map, not a timer and
 * a look-up of its own on every tick.
 */
export class QueueWatch {
  /** show → member → their waiting requests (a member may wait on two connections). */
  private readonly shows = new Map<string, Map<string, Set<Waiter>>>();
  private timer: NodeJS.Timeout | undefined;
  private draining = false;

  constructor(
    private readonly queue: AdmissionQueue,
    private readonly lease: LeasePolicy,
    private readonly periodMs: number,
    private readonly clock: Clock,
    news?: AdmissionNews,
  ) {
    news?.listen((admissions) => this.hear(admissions));
  }

  /**
   * The member's place once it is no longer `waiting` (admitted, closed, gone), or where they
   * stand at the last tick before the wait is over. A failed look-up fails the wait.
   */
  until(showId: string, memberId: string, first: MemberPlace, poll: LongPoll): Promise<MemberPlace> {
    if (first.state !== 'waiting' || poll.waitMs <= 0 || this.draining || poll.signal?.aborted) return Promise.resolve(first);
    return new Promise<MemberPlace>((resolve, reject) => {
      const waiter: Waiter = { deadline: this.nowMs() + poll.waitMs, last: first, resolve, reject };
      const members = this.shows.get(showId) ?? new Map<string, Set<Waiter>>();
      this.shows.set(showId, members);
      const waiters = members.get(memberId) ?? new Set<Waiter>();
      members.set(memberId, waiters);
      waiters.add(waiter);
      poll.signal?.addEventListener('abort', () => this.settle(showId, memberId, waiter, waiter.last), { once: true });
      this.schedule();
    });
  }

  /** At shutdown: everyone waiting is answered with where they stand now, so that no request holds it up. */
  drain(): void {
    this.draining = true;
    clearTimeout(this.timer);
    for (const [showId, members] of this.shows) {
      for (const [memberId, waiters] of members) for (const waiter of waiters) this.settle(showId, memberId, waiter, waiter.last);
    }
  }

  private schedule(): void {
    if (this.timer || this.draining || this.shows.size === 0) return;
    // on the grid shared with the event streams: their look-ups fall in the same turn
    this.timer = setTimeout(() => void this.tick(), untilNextTick(this.periodMs, this.nowMs()));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const now = this.nowMs();
    await Promise.all([...this.shows.keys()].map((showId) => this.lookUp(showId, [...(this.shows.get(showId)?.keys() ?? [])], now)));
    // answer the waits that would be over before the next tick with where they stand
    const next = this.nowMs() + this.periodMs;
    for (const [showId, members] of this.shows) {
      for (const [memberId, waiters] of members) {
        for (const waiter of waiters) if (waiter.deadline < next) this.settle(showId, memberId, waiter, waiter.last);
      }
    }
    this.timer = undefined;
    this.schedule();
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  /** Admitted by some process's admitter: those of them waiting here are answered now, without a look-up. */
  private hear({ showId, memberIds, leaseExpiresAt }: Admissions): void {
    const members = this.shows.get(showId);
    if (!members) return;
    const place: MemberPlace = { state: 'admitted', leaseExpiresAt };
    for (const memberId of memberIds) {
      for (const waiter of members.get(memberId) ?? []) this.settle(showId, memberId, waiter, place);
    }
  }

  private async lookUp(showId: string, memberIds: string[], now: number): Promise<void> {
    for (let start = 0; start < memberIds.length; start += LOOKUP_CHUNK) {
      const chunk = memberIds.slice(start, start + LOOKUP_CHUNK);
      let places: MemberPlace[];
      try {
        places = await this.queue.statuses(showId, chunk, now, this.lease);
      } catch (error) {
        for (const memberId of chunk) this.fail(showId, memberId, error);
        continue;
      }
      chunk.forEach((memberId, i) => {
        const place = places[i]!;
        for (const waiter of this.shows.get(showId)?.get(memberId) ?? []) {
          if (place.state === 'waiting') waiter.last = place;
          else this.settle(showId, memberId, waiter, place);
        }
      });
    }
  }

  private fail(showId: string, memberId: string, error: unknown): void {
    for (const waiter of this.shows.get(showId)?.get(memberId) ?? []) {
      this.remove(showId, memberId, waiter);
      waiter.reject(error);
    }
  }

  private settle(showId: string, memberId: string, waiter: Waiter, place: MemberPlace): void {
    if (this.remove(showId, memberId, waiter)) waiter.resolve(place);
  }

  private remove(showId: string, memberId: string, waiter: Waiter): boolean {
    const members = this.shows.get(showId);
    const waiters = members?.get(memberId);
    if (!waiters?.delete(waiter)) return false;
    if (waiters.size === 0) members!.delete(memberId);
    if (members!.size === 0) this.shows.delete(showId);
    return true;
  }
}
