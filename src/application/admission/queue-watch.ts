import { aheadAt, type QueueGlance } from '../../domain/admission/queue-glance.js';
import type { AdmissionNews, Admissions } from '../ports/admission-news.js';
import type { AdmissionQueue, LeasePolicy, MemberPlace } from '../ports/admission-queue.js';
import type { Clock } from '../ports/clock.js';
import type { QueuePlaces } from './queue-places.js';
import { untilNextTick } from './status-grid.js';
import { Watcher, type PlaceListener } from './watcher.js';

export type { PlaceListener };

/** A long poll: how long a waiting member's answer may be held back, and who may end it sooner. */
export interface LongPoll {
  waitMs: number;
  /** Aborted when the client goes away: answer (to nobody) and stop looking. */
  signal?: AbortSignal;
  /** Called once the answer is held back (no more work until news): another request may take its turn. */
  parked?: () => void;
}

export interface WatchOptions {
  /** Admitted listeners' places are looked up (and their leases renewed) this often. */
  renewMs?: number;
  /** Position events a process sends a second at most, all streams together (spreads them out). */
  positionsPerSecond?: number;
  /** Each tick's glances are offered here (plain polls of the same show use them). */
  places?: QueuePlaces;
}

/** Position events a server sends a second at most, all its streams together (its workers share them). */
export const POSITIONS_PER_SECOND = 2000;

/** Each of a server's `workers` web workers' share of its position events (seven sending 2,000 each took a core in a crowd). */
export function positionsPerWorker(workers: number): number {
  return Math.ceil(POSITIONS_PER_SECOND / Math.max(1, workers));
}

/** Members looked up in one script call at most (bounds the call's arguments and its time in Redis). */
const LOOKUP_CHUNK = 1000;

/** The members of one show watched by this process, and the highest ticket among them. */
class ShowWatch {
  readonly members = new Map<string, Watcher>();
  upTo = 0;
}

/**
 * Everyone in this process waiting for their turn — long polls and event streams — in one map per
 * show, on one timer. A tick is one `glance` per show (phase, served counter, leavers): every
 * waiting member's position is computed from their ticket without a call of their own. Members are
 * looked up only when the glance says something changed for them (served past their ticket, their
 * ticket given up, the draw placed them), and admitted listeners every `renewMs` (which renews
 * their lease). The admissions news has the members it names looked up at once (a look-up is the
 * member seen: it renews the short first lease to a full one) and answered.
 */
export class QueueWatch {
  private readonly shows = new Map<string, ShowWatch>();
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  private listeners = 0;
  private polls = 0;
  private readonly renewMs: number;
  private readonly positionsPerSecond: number;
  private readonly places: QueuePlaces | undefined;

  constructor(
    private readonly queue: AdmissionQueue,
    private readonly lease: LeasePolicy,
    private readonly periodMs: number,
    private readonly clock: Clock,
    news?: AdmissionNews,
    options: WatchOptions = {},
  ) {
    this.renewMs = options.renewMs ?? Math.min(5000, lease.leaseMs / 4);
    this.positionsPerSecond = options.positionsPerSecond ?? POSITIONS_PER_SECOND;
    this.places = options.places;
    news?.listen((admissions) => this.hear(admissions));
  }

  /**
   * The member's place once it is no longer `waiting` (admitted, closed, gone), or where they
   * stand at the last tick before the wait is over. A failed look-up fails the wait.
   */
  until(showId: string, memberId: string, first: MemberPlace, poll: LongPoll): Promise<MemberPlace> {
    if (first.state !== 'waiting' || poll.waitMs <= 0 || this.draining || poll.signal?.aborted) return Promise.resolve(first);
    return new Promise<MemberPlace>((resolve, reject) => {
      const watcher = Watcher.longPoll(showId, memberId, first, this.nowMs() + poll.waitMs, resolve, reject);
      this.polls++;
      this.add(watcher);
      poll.signal?.addEventListener('abort', () => this.settle(watcher, watcher.place), { once: true });
      poll.parked?.();
    });
  }

  /**
   * Tells `listener` of the member's place as it changes, until `stop` (or the listener ends it).
   * Positions go out at most every `spacingMs()`; admissions and closes at once.
   */
  follow(showId: string, memberId: string, first: MemberPlace, listener: PlaceListener): { stop(): void } {
    const watcher = Watcher.stream(showId, memberId, first, listener, this.nowMs());
    if (this.draining) {
      listener.drained();
      return { stop: () => undefined };
    }
    this.listeners++;
    this.add(watcher);
    return { stop: () => this.remove(watcher) };
  }

  /** How many event streams this process follows now. */
  get following(): number {
    return this.listeners;
  }

  /** How many long polls this process holds now. */
  get holding(): number {
    return this.polls;
  }

  /** How far apart one stream's position events are: 1 s, more when many listen (≤ 10 s). */
  spacingMs(): number {
    return Math.min(10_000, Math.max(1000, (this.listeners / this.positionsPerSecond) * 1000));
  }

  /** At shutdown: long polls are answered with where they stand, streams ended, so that none holds the close up. */
  drain(): void {
    this.draining = true;
    clearTimeout(this.timer);
    for (const show of this.shows.values()) {
      for (const first of [...show.members.values()]) {
        for (let w: Watcher | undefined = first; w;) {
          const next: Watcher | undefined = w.next;
          if (w.listener) {
            this.remove(w);
            w.listener.drained();
          } else this.settle(w, w.place);
          w = next;
        }
      }
    }
  }

  private add(watcher: Watcher): void {
    let show = this.shows.get(watcher.showId);
    if (!show) this.shows.set(watcher.showId, (show = new ShowWatch()));
    watcher.next = show.members.get(watcher.memberId);
    show.members.set(watcher.memberId, watcher);
    if (watcher.place.state === 'waiting' && watcher.place.ticket > show.upTo) show.upTo = watcher.place.ticket;
    this.schedule();
  }

  private remove(watcher: Watcher): boolean {
    const show = this.shows.get(watcher.showId);
    const first = show?.members.get(watcher.memberId);
    if (!show || !first) return false;
    if (first === watcher) {
      if (watcher.next) show.members.set(watcher.memberId, watcher.next);
      else show.members.delete(watcher.memberId);
    } else {
      let before = first;
      while (before.next && before.next !== watcher) before = before.next;
      if (before.next !== watcher) return false;
      before.next = watcher.next;
    }
    watcher.next = undefined;
    if (watcher.listener) this.listeners--;
    else this.polls--;
    if (show.members.size === 0) this.shows.delete(watcher.showId);
    return true;
  }

  private schedule(): void {
    if (this.timer || this.draining || this.shows.size === 0) return;
    // on the wall-clock grid: the ticks of every process fall together, and so do their reads
    this.timer = setTimeout(() => void this.tick(), untilNextTick(this.periodMs, this.nowMs()));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    await Promise.all([...this.shows.keys()].map((showId) => this.tickShow(showId)));
    this.timer = undefined;
    this.schedule();
  }

  private async tickShow(showId: string): Promise<void> {
    const show = this.shows.get(showId)!;
    let view: QueueGlance;
    const asked = this.nowMs();
    const upTo = show.upTo;
    try {
      view = await this.queue.glance(showId, upTo);
    } catch (error) {
      for (const memberId of [...show.members.keys()]) this.failMember(showId, memberId, error);
      return;
    }
    this.places?.offer(showId, view, asked, upTo);
    const now = this.nowMs();
    const next = now + this.periodMs;
    const spacing = this.spacingMs();
    const lookUps: string[] = [];
    for (const [memberId, first] of show.members) {
      let ask = false;
      for (let w: Watcher | undefined = first; w;) {
        const after: Watcher | undefined = w.next;
        if (view.phase === 'closed') this.tell(w, { state: 'closed', reason: view.reason }, now, spacing);
        else {
          ask ||= this.needsLookUp(w, view, now);
          if (!ask) this.placeByGlance(w, view, now, next, spacing);
        }
        w = after;
      }
      if (ask) lookUps.push(memberId);
    }
    for (let start = 0; start < lookUps.length; start += LOOKUP_CHUNK) {
      await this.lookUp(showId, lookUps.slice(start, start + LOOKUP_CHUNK), now, spacing);
    }
  }

  /** The glance cannot place this watcher (or an admitted listener's lease is due for renewal). */
  private needsLookUp(w: Watcher, view: QueueGlance, now: number): boolean {
    const place = w.place;
    if (view.phase === 'absent') return true;
    if (place.state === 'admitted') return now - w.askedAt >= this.renewMs;
    if (place.state !== 'waiting') return false;
    if (place.preQueue) return view.phase === 'open';
    return aheadAt(place.ticket, view) === undefined;
  }

  private placeByGlance(w: Watcher, view: QueueGlance, now: number, next: number, spacing: number): void {
    const place = w.place;
    if (place.state === 'waiting' && !place.preQueue) {
      const ahead = aheadAt(place.ticket, view)!;
      if (ahead !== place.ahead) w.place = { ...place, ahead };
    }
    if (w.listener) {
      if (now >= w.dueAt) this.tell(w, w.place, now, spacing);
    } else if (w.deadline < next) this.settle(w, w.place);
  }

  private async lookUp(showId: string, memberIds: string[], now: number, spacing: number): Promise<void> {
    let places: MemberPlace[];
    try {
      places = await this.queue.statuses(showId, memberIds, now, this.lease);
    } catch (error) {
      for (const memberId of memberIds) this.failMember(showId, memberId, error);
      return;
    }
    const show = this.shows.get(showId);
    memberIds.forEach((memberId, i) => {
      const place = places[i]!;
      if (show && place.state === 'waiting' && place.ticket > show.upTo) show.upTo = place.ticket;
      for (let w = show?.members.get(memberId); w;) {
        const after: Watcher | undefined = w.next;
        w.askedAt = now;
        this.tell(w, place, now, spacing);
        w = after;
      }
    });
  }

  /** A new place for a watcher: a long poll ends unless still waiting; a listener hears it. */
  private tell(w: Watcher, place: MemberPlace, now: number, spacing: number): void {
    w.place = place;
    if (!w.listener) {
      if (place.state !== 'waiting') this.settle(w, place);
      return;
    }
    if (place.state === 'closed' || place.state === 'absent') this.remove(w);
    w.dueAt = now + spacing;
    w.listener.place(place, now);
  }

  /**
   * Admitted by some process's admitter: those of them watched here are looked up at once, which
   * renews their first lease to a full one (telling them on a live connection is the member seen),
   * and told what the look-up says: an admission that lapsed before the news came is not announced.
   */
  private hear({ showId, memberIds }: Admissions): void {
    const show = this.shows.get(showId);
    if (!show) return;
    const watched = memberIds.filter((memberId) => show.members.has(memberId));
    for (let start = 0; start < watched.length; start += LOOKUP_CHUNK) {
      void this.lookUp(showId, watched.slice(start, start + LOOKUP_CHUNK), this.nowMs(), this.spacingMs());
    }
  }

  private failMember(showId: string, memberId: string, error: unknown): void {
    let w = this.shows.get(showId)?.members.get(memberId);
    while (w) {
      const next = w.next;
      this.remove(w);
      if (w.listener) w.listener.failed(error);
      else w.reject!(error);
      w = next;
    }
  }

  private settle(w: Watcher, place: MemberPlace): void {
    if (this.remove(w)) w.resolve!(place);
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }
}
