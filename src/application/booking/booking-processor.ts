import { Counter } from 'prom-client';
import { inject, injectable } from 'tsyringe';
import type { BookingCommand } from '../../domain/booking/booking.commands.js';
import { bookingDecider, type BookingState } from '../../domain/booking/booking.decider.js';
import {
  inventoryStreamId,
  isInventoryEvent,
  isInventoryStream,
  ledgerStreamId,
  type BookingEvent,
} from '../../domain/booking/booking.events.js';
import { showStreamId, type ShowState } from '../../domain/catalog/show.decider.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { EventStore, NewEvent, StreamAppend } from '../ports/event-store.js';
import { IdempotencyMismatch, WrongExpectedVersion } from '../ports/event-store.errors.js';
import { noTurns, type StreamTurns, type Turn } from '../ports/stream-turns.js';
import { TOKENS } from '../tokens.js';
import { BookingStreams } from './booking-streams.js';
import { restsOnState } from '../rests-on-state.js';
import { checkRefusals, countRedecision, type Doubted } from './refusal-check.js';
import type { ShowStates } from '../catalog/show-states.js';

/** One booking command: which streams it may touch, and what it answers. */
export interface BookingJob<R> {
  showId: string;
  memberId: string;
  /** Inventory parts (sections, pool shards) the command may touch. */
  parts: string[];
  /** Built at decide time, so that `now` is as late as possible. */
  command(now: Date): BookingCommand;
  /** The answer, read from the state right after the command's events. */
  result(state: BookingState, events: BookingEvent[]): R;
  /** Deterministic event ids (from an Idempotency-Key), by index. */
  eventId?(index: number): string;
  /**
   * A ledger not in the cache may be taken as empty without reading it (a member's first hold):
   * if it is not, the append's expected version fails and it is read. Only for commands whose
   * refusals do not depend on the ledger being there.
   */
  newLedgerLikely?: boolean;
}

export interface BookingOutcome<R> {
  result: R;
  events: BookingEvent[];
  /** Global position of the append (0 when nothing was appended). */
  position: number;
}

interface Queued {
  job: BookingJob<unknown>;
  streams: string[];
  resolve(outcome: BookingOutcome<unknown>): void;
  reject(error: unknown): void;
}

type Decision = { queued: Queued; events: BookingEvent[]; result: unknown } | { queued: Queued; error: unknown };

const conflictsMetric = new Counter({
  name: 'onsale_booking_conflicts_total',
  help: 'Booking appends refused by an expected version (another process wrote the stream first), by the stream that moved on',
  labelNames: ['stream'],
});
const batchesMetric = new Counter({ name: 'onsale_booking_batches_total', help: 'Booking appends (each folds one or more commands)' });
const commandsMetric = new Counter({ name: 'onsale_booking_commands_total', help: 'Booking commands decided', labelNames: ['outcome'] });

export class BookingContended extends DomainError {
  constructor(attempts: number) {
    super('unavailable', 'BOOKING.BUSY', `The seats kept changing; gave up after ${attempts} attempts. Try again.`, undefined, 1);
  }
}

/**
 * Runs booking commands that span streams (the member's ledger and one or more inventory streams)
 * with one writer per stream in this process: queued commands whose streams are free are decided
 * together and written in one atomic `appendMulti` with an expected version per stream; one
 * command's rejection fails only that command. Across processes the expected versions are the
 * guard: on a conflict the stream is re-read and the batch decided again, a bounded number of times.
 */
@injectable()
export class BookingProcessor {
  private readonly pending: Queued[] = [];
  private readonly locked = new Set<string>();
  private pumpScheduled = false;
  maxBatch = 256;
  maxAttempts = 30;
  /** Appends refused by a stream's expected version (another process wrote first). */
  conflicts = 0;

  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.ShowStates) private readonly shows: ShowStates,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Ids) private readonly ids: IdGenerator,
    @inject(BookingStreams) private readonly streams: BookingStreams,
    @inject(TOKENS.StreamTurns) private readonly turns: StreamTurns = noTurns,
  ) {}

  execute<R>(job: BookingJob<R>): Promise<BookingOutcome<R>> {
    const streams = [ledgerStreamId(job.showId, job.memberId), ...job.parts.map((part) => inventoryStreamId(job.showId, part))];
    return new Promise<BookingOutcome<R>>((resolve, reject) => {
      this.pending.push({ job, streams, resolve: resolve as Queued['resolve'], reject });
      this.schedulePump();
    });
  }

  /** One pump per turn of the event loop, however many commands arrived in it. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /**
   * Starts batches of the queued commands whose streams are free, keeping per-stream order:
   * commands that share a stream go in one batch (folded into one append), up to `maxBatch`;
   * commands on disjoint streams go in separate batches that run at the same time; a command that
   * shares streams with two batches waits for the next pump.
   */
  private pump(): void {
    const batches = new Set<Queued[]>();
    const batchOf = new Map<string, Queued[]>();
    const blocked = new Set<string>();
    const chosen = new Set<Queued>();
    for (const queued of this.pending) {
      if (queued.streams.some((s) => this.locked.has(s) || blocked.has(s))) {
        for (const s of queued.streams) blocked.add(s);
        continue;
      }
      const touching = [...new Set(queued.streams.map((s) => batchOf.get(s)).filter((b): b is Queued[] => b !== undefined))];
      // a command that would join two batches waits for a later pump: merged, their streams would
      // be one append, and a conflict on any of them would send every command back (under load,
      // batches grew to span every shard and lost all their attempts to other processes' writes)
      if (touching.length > 1 || (touching[0]?.length ?? 0) >= this.maxBatch) {
        for (const s of queued.streams) blocked.add(s);
        continue;
      }
      const batch = touching[0] ?? [];
      batch.push(queued);
      batches.add(batch);
      chosen.add(queued);
      for (const s of queued.streams) batchOf.set(s, batch);
    }
    if (chosen.size === 0) return;
    const rest = this.pending.filter((queued) => !chosen.has(queued));
    this.pending.length = 0;
    this.pending.push(...rest);
    for (const batch of batches) {
      const streams = new Set(batch.flatMap((q) => q.streams));
      for (const s of streams) this.locked.add(s);
      void this.run(batch).finally(() => {
        for (const s of streams) this.locked.delete(s);
        this.schedulePump();
      });
    }
  }

  private async run(batch: Queued[]): Promise<void> {
    // across processes, writers of a contended inventory stream take turns (see StreamTurns)
    const inventory = [...new Set(batch.flatMap((q) => q.streams.slice(1)))];
    const turn = await this.turns.take(inventory);
    let written: Record<string, number> = {};
    try {
      written = await this.attempts(batch, turn);
    } finally {
      await turn.release(written);
    }
  }

  /**
   * Decides and appends the batch, re-reading and deciding again after a conflict; returns the
   * versions written. `fresh`: streams to re-read first (`stale`), and streams checked against the
   * store moments ago (`checked`), whose refusals need no second check.
   */
  private async attempts(
    batch: Queued[],
    turn: Turn,
    fresh?: { stale: Set<string>; checked: Set<string> },
  ): Promise<Record<string, number>> {
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
        const appends = this.appendsOf(decisions, loaded.versions);
        let written: Record<string, number> = {};
        let position = 0;
        if (appends.length > 0) {
          const result = await this.store.appendMulti(appends);
          batchesMetric.inc();
          this.streams.commit(loaded.working, result.versions);
          ({ versions: written, position } = result);
        }
        // an append proves the versions it expected; other streams read from memory may be behind the store
        const unchecked = (id: string) => loaded.unread.has(id) && !(id in written) && !checked.has(id);
        const doubted = decisions.flatMap((decision) => {
          if (!('error' in decision) || !restsOnState(decision.error)) return [];
          const show = showStreamId(decision.queued.job.showId);
          const streams = [...decision.queued.streams.filter(unchecked), ...(checked.has(show) ? [] : [show])];
          return [{ refusal: decision, streams }];
        });
        const inDoubt = new Set<Decision>(doubted.map((d) => d.refusal));
        settle(
          decisions.filter((decision) => !inDoubt.has(decision)),
          position,
        );
        if (doubted.length === 0) return written;
        const known = (id: string) => written[id] ?? loaded.versions.get(id) ?? shows.versions.get(id) ?? 0;
        return { ...written, ...(await this.recheck(doubted, known, turn, checked)) };
      } catch (error) {
        if (error instanceof WrongExpectedVersion) {
          this.conflicts++;
          conflictsMetric.inc({ stream: isInventoryStream(error.streamId) ? 'inventory' : 'ledger' });
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
          for (const queued of batch) await this.attempts([queued], turn);
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
    const { stand, redecide, moved, checked } = await checkRefusals(this.store, doubted, known);
    settle(stand, 0);
    if (redecide.length === 0) return {};
    for (const id of moved) {
      const showId = showOfStream(id);
      if (showId) this.shows.forget(showId);
    }
    const again = redecide.map(({ queued, error }) => ({ ...queued, ...countRedecision(error, queued) }));
    return this.attempts(again, turn, { stale: moved, checked: new Set([...checkedBefore, ...checked]) });
  }

  /** The batch's show states, and the versions of the show streams they are at. */
  private async loadShows(batch: Queued[]): Promise<{ states: Map<string, ShowState>; versions: Map<string, number> }> {
    const ids = [...new Set(batch.map((q) => q.job.showId))];
    const states = await Promise.all(ids.map((id) => this.shows.get(id)));
    return {
      states: new Map(ids.map((id, i) => [id, states[i]!])),
      versions: new Map(ids.map((id) => [showStreamId(id), this.shows.versionOf(id)])),
    };
  }

  private appendsOf(decisions: Decision[], versions: Map<string, number>): StreamAppend[] {
    const byStream = new Map<string, NewEvent[]>();
    for (const decision of decisions) {
      if (!('events' in decision)) continue;
      const { job } = decision.queued;
      decision.events.forEach((event, index) => {
        const streamId = isInventoryEvent(event)
          ? inventoryStreamId(job.showId, event.data.part)
          : ledgerStreamId(job.showId, job.memberId);
        const list = byStream.get(streamId) ?? [];
        list.push({ id: job.eventId ? job.eventId(index) : this.ids.next(), type: event.type, data: event.data });
        byStream.set(streamId, list);
      });
    }
    return [...byStream].map(([streamId, events]) => {
      const version = versions.get(streamId) ?? 0;
      return { streamId, events, expected: version === 0 ? 'no_stream' : version };
    });
  }
}

/** Decides one command on the batch's working states; its events change them for the next. */
function decideOne(queued: Queued, show: ShowState, working: Map<string, unknown>, now: Date): Decision {
  const { job } = queued;
  const [ledgerId, ...inventoryIds] = queued.streams;
  const state: BookingState = {
    show,
    ledger: working.get(ledgerId!) as BookingState['ledger'],
    inventory: Object.fromEntries(job.parts.map((part, i) => [part, working.get(inventoryIds[i]!) as BookingState['inventory'][string]])),
  };
  try {
    const events = bookingDecider.decide(job.command(now), state) as BookingEvent[];
    const stray = events.find((event) => isInventoryEvent(event) && !job.parts.includes(event.data.part));
    if (stray) throw new Error(`The command touched an inventory part it did not declare: ${JSON.stringify(stray.data)}`);
    for (const event of events) bookingDecider.evolve(state, event);
    return { queued, events, result: job.result(state, events) };
  } catch (error) {
    return { queued, error };
  }
}

/**
 * What to re-read after an append lost on `streamId`. A member's ledger that moved on means that
 * member booked through another process, and so may the batch's other members have (a burst spreads
 * each member's requests over the processes): all of the batch's ledgers are re-read at once, in
 * parallel, rather than learnt of one lost append at a time, which for a large batch would use up
 * its attempts on other members' ledgers (503 BOOKING.BUSY for everyone in it).
 */
function toReRead(streamId: string, batch: Queued[]): Set<string> {
  const ledgers = batch.map((queued) => queued.streams[0]!);
  return ledgers.includes(streamId) ? new Set(ledgers) : new Set([streamId]);
}

function settle(decisions: Decision[], position: number): void {
  for (const decision of decisions) {
    commandsMetric.inc({ outcome: 'error' in decision ? 'refused' : 'done' });
    if ('error' in decision) decision.queued.reject(decision.error);
    else decision.queued.resolve({ result: decision.result, events: decision.events, position: decision.events.length ? position : 0 });
  }
}

const SHOW_STREAM = showStreamId('');
const showOfStream = (streamId: string) => (streamId.startsWith(SHOW_STREAM) ? streamId.slice(SHOW_STREAM.length) : undefined);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
