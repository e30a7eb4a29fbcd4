import { BookingContended } from '../../domain/booking/booking.errors.js';
import { isInventoryStream } from '../../domain/booking/booking.events.js';
import { showStreamId, type ShowState } from '../../domain/catalog/show.decider.js';
import type { ShowStates } from '../catalog/show-states.js';
import type { BookingMetrics } from '../ports/booking-metrics.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import { IdempotencyMismatch, WrongExpectedVersion } from '../ports/event-store.errors.js';
import type { StreamTurns, Turn } from '../ports/stream-turns.js';
import { restsOnState } from '../rests-on-state.js';
import { appendsOf, decideOne, guardedBy, toReRead } from './batch-decisions.js';
import type { Decision, QueuedJob } from './booking-job.js';
import type { BookingStreams } from './booking-streams.js';
import { checkRefusals, countRedecision, type Doubted } from './refusal-check.js';

/**
 * Decides a batch of commands and writes it in one atomic `appendMulti` with an expected version
 * per stream; one command's rejection fails only that command. Across processes the expected
 * versions are the guard: on a conflict the stream is re-read and the batch decided again, a
 * bounded number of times.
 */
export class BookingAttempts {
  maxAttempts = 30;
  /** Appends refused by a stream's expected version (another process wrote first). */
  conflicts = 0;

  constructor(
    private readonly store: EventStore,
    private readonly shows: ShowStates,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly streams: BookingStreams,
    private readonly turns: StreamTurns,
    private readonly metrics: BookingMetrics,
  ) {}

  /**
   * Decides and appends the batch, re-reading and deciding again after a conflict; returns the
   * versions written. `fresh`: streams to re-read first (`stale`), and streams checked against the
   * store moments ago (`checked`), whose refusals need no second check.
   */
  async run(jobs: QueuedJob[], turn: Turn, fresh?: { stale: Set<string>; checked: Set<string> }): Promise<Record<string, number>> {
    let batch = jobs;
    let stale =
      fresh?.stale ?? new Set([...turn.versions].filter(([id, version]) => version > this.streams.versionOf(id)).map(([id]) => id));
    const checked = fresh?.checked ?? new Set<string>();
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        const shows = await this.loadShows(batch);
        const unread = new Set(batch.filter((q) => q.job.newLedgerLikely).map((q) => q.streams[0]!));
        const loaded = await this.streams.load([...new Set(batch.flatMap((q) => q.streams))], stale, unread);
        const now = this.clock.now();
        const decisions = batch.map((queued) => decideOne(queued, shows.states.get(queued.job.showId)!, loaded.working, now));
        const appends = appendsOf(decisions, loaded.versions, this.ids);
        let written: Record<string, number> = {};
        let position = 0;
        if (appends.length > 0) {
          const result = await this.store.appendMulti(appends);
          this.metrics.appended();
          this.streams.commit(loaded.working, result.versions);
          ({ versions: written, position } = result);
        } else this.streams.adoptIndexes(loaded.working);
        // an append proves the versions it expected; other streams read from memory may be behind the store
        const unchecked = (id: string) => loaded.unread.has(id) && !(id in written) && !checked.has(id);
        const doubted = decisions.flatMap((decision) => {
          if (!('error' in decision) || !restsOnState(decision.error)) return [];
          const show = showStreamId(decision.queued.job.showId);
          const streams = [...decision.queued.streams.filter(unchecked), ...(checked.has(show) ? [] : [show])];
          return [{ refusal: decision, streams }];
        });
        const inDoubt = new Set<Decision>(doubted.map((d) => d.refusal));
        this.settle(
          decisions.filter((decision) => !inDoubt.has(decision)),
          position,
        );
        if (doubted.length === 0) return written;
        const known = (id: string) => written[id] ?? loaded.versions.get(id) ?? shows.versions.get(id) ?? 0;
        return { ...written, ...(await this.recheck(doubted, known, turn, checked)) };
      } catch (error) {
        const guarded = error instanceof WrongExpectedVersion ? guardedBy(error.streamId, batch) : [];
        if (guarded.length > 0) {
          // a stream outside the booking moved under these commands: their callers read it again
          for (const queued of guarded) queued.reject(error);
          batch = batch.filter((queued) => !guarded.includes(queued));
          if (batch.length === 0) return {};
          stale = new Set();
          continue;
        }
        if (error instanceof WrongExpectedVersion) {
          this.conflicts++;
          this.metrics.conflict(isInventoryStream(error.streamId) ? 'inventory' : 'ledger');
          void this.turns.contended(error.streamId);
          stale = toReRead(error.streamId, batch);
          // the first retry at once (re-reading the tail is the wait); then back off with jitter
          if (attempt > 1) await sleep(Math.random() * Math.min(50, 2 ** attempt));
          continue;
        }
        this.streams.forget(batch.flatMap((q) => q.streams));
        if (error instanceof IdempotencyMismatch) {
          // a retried command already stored by another process: decide again on fresh state, alone
          if (batch.length === 1) {
            stale = new Set(batch[0]!.streams);
            continue;
          }
          for (const queued of batch) await this.run([queued], turn);
          return {};
        }
        for (const queued of batch) queued.reject(error);
        return {};
      }
    }
    this.streams.forget(batch.flatMap((q) => q.streams));
    for (const queued of batch) queued.reject(new BookingContended(this.maxAttempts));
    return {};
  }

  /**
   * A refusal writes nothing, so no expected version ever checks the state it was decided on:
   * before answering, the streams it read from memory (and its show) are checked against the
   * store's head versions, in one read; the refusals on streams that moved on are decided again
   * on fresh state, the rest stand. Successes never come here.
   */
  private async recheck(
    doubted: Doubted<Extract<Decision, { error: unknown }>>[],
    known: (streamId: string) => number,
    turn: Turn,
    checkedBefore: Set<string>,
  ): Promise<Record<string, number>> {
    const { stand, redecide, moved, checked } = await checkRefusals(this.store, doubted, known, this.metrics);
    this.settle(stand, 0);
    if (redecide.length === 0) return {};
    for (const id of moved) {
      const showId = showOfStream(id);
      if (showId) this.shows.forget(showId);
    }
    const again = redecide.map(({ queued, error }) => ({ ...queued, ...countRedecision(error, queued, this.metrics) }));
    return this.run(again, turn, { stale: moved, checked: new Set([...checkedBefore, ...checked]) });
  }

  /** The batch's show states, and the versions of the show streams they are at. */
  private async loadShows(batch: QueuedJob[]): Promise<{ states: Map<string, ShowState>; versions: Map<string, number> }> {
    const ids = [...new Set(batch.map((q) => q.job.showId))];
    const states = await Promise.all(ids.map((id) => this.shows.get(id)));
    return {
      states: new Map(ids.map((id, i) => [id, states[i]!])),
      versions: new Map(ids.map((id) => [showStreamId(id), this.shows.versionOf(id)])),
    };
  }

  private settle(decisions: Decision[], position: number): void {
    for (const decision of decisions) {
      this.metrics.decided('error' in decision ? 'refused' : 'done');
      if ('error' in decision) decision.queued.reject(decision.error);
      else decision.queued.resolve({ result: decision.result, events: decision.events, position: decision.events.length ? position : 0 });
    }
  }
}

const SHOW_STREAM = showStreamId('');
const showOfStream = (streamId: string) => (streamId.startsWith(SHOW_STREAM) ? streamId.slice(SHOW_STREAM.length) : undefined);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
