import { inject, injectable } from 'tsyringe';
import type { Decider, DomainEvent } from '../domain/shared/decider.js';
import { DomainError } from '../domain/shared/domain-error.js';
import type { IdGenerator } from './ports/clock.js';
import type { EventMetadata, EventStore, NewEvent } from './ports/event-store.js';
import { IdempotencyMismatch, WrongExpectedVersion } from './ports/event-store.errors.js';
import { restsOnState } from './rests-on-state.js';
import { StreamStateCache } from './stream-state-cache.js';
import { TOKENS } from './tokens.js';

export interface ExecuteOptions {
  metadata?: EventMetadata;
  /** Deterministic event ids (e.g. derived from an Idempotency-Key), by index of the event. */
  eventId?: (index: number) => string;
}

/** What one command did: the events it produced, and where they landed. */
export interface Executed<E extends DomainEvent> {
  events: E[];
  /** Stream version after the append (or the current version when nothing was appended). */
  version: number;
  /** Global position of the append that carried the events (0 when nothing was appended). */
  position: number;
}

interface Pending {
  command: unknown;
  options: ExecuteOptions;
  resolve(result: Executed<DomainEvent>): void;
  reject(error: unknown): void;
}

interface Lane {
  decider: Decider<unknown, unknown, DomainEvent>;
  queue: Pending[];
  running: boolean;
}

/** Outcome of deciding one queued command against the evolving state of its batch. */
type Decision = { pending: Pending; events: DomainEvent[] } | { pending: Pending; error: unknown };

export class RetriesExhausted extends DomainError {
  constructor(streamId: string, attempts: number) {
    super('conflict', 'EVENT_STORE.CONTENDED', `Stream ${streamId} kept changing; gave up after ${attempts} attempts`, undefined, 1);
  }
}

/**
 * Runs commands against event-sourced streams, one writer per stream inside this process: commands
 * that queue up behind a running append are decided together and folded into one append, with a
 * result per command (one rejection fails only its command). Across processes, optimistic
 * concurrency stays the guard: on a conflict the stream's tail is re-read and the batch decided
 * again, a bounded number of times.
 */
@injectable()
export class StreamProcessor {
  private readonly lanes = new Map<string, Lane>();
  private readonly cache = new StreamStateCache(50_000);
  maxBatch = 256;
  maxAttempts = 8;

  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.Ids) private readonly ids: IdGenerator,
  ) {}

  execute<S, C, E extends DomainEvent>(
    streamId: string,
    decider: Decider<S, C, E>,
    command: C,
    options: ExecuteOptions = {},
  ): Promise<Executed<E>> {
    let lane = this.lanes.get(streamId);
    if (!lane) {
      lane = { decider: decider as Decider<unknown, unknown, DomainEvent>, queue: [], running: false };
      this.lanes.set(streamId, lane);
    } else if (lane.decider !== (decider as unknown)) {
      return Promise.reject(new Error(`Stream ${streamId} is already driven by another decider`));
    }
    const promise = new Promise<Executed<E>>((resolve, reject) => {
      lane.queue.push({ command, options, resolve: resolve as Pending['resolve'], reject });
    });
    if (!lane.running) void this.drain(streamId, lane);
    return promise;
  }

  /** Forgets cached state (e.g. after a test rewrote the store). */
  forget(streamId?: string): void {
    if (streamId) this.cache.delete(streamId);
    else this.cache.clear();
  }

  private async drain(streamId: string, lane: Lane): Promise<void> {
    lane.running = true;
    try {
      while (lane.queue.length > 0) {
        const batch = lane.queue.splice(0, this.maxBatch);
        await this.runBatch(streamId, lane.decider, batch);
      }
    } finally {
      lane.running = false;
      if (lane.queue.length === 0) this.lanes.delete(streamId);
      else void this.drain(streamId, lane);
    }
  }

  private async runBatch(streamId: string, decider: Decider<unknown, unknown, DomainEvent>, batch: Pending[]): Promise<void> {
    let refresh = false;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        const current = await this.load(streamId, decider, refresh || attempt > 1);
        const { decisions, state } = decideAll(decider, current.state, batch);
        if (!current.read && decisions.some((d) => 'error' in d && restsOnState(d.error))) {
          // a refusal writes nothing, so no expected version checks the cached state it rests on: the store's head does
          const head = (await this.store.headVersions([streamId])).get(streamId) ?? 0;
          if (head > current.version) {
            refresh = true;
            continue;
          }
        }
        const toAppend = decisions.flatMap((d) => ('events' in d ? d.events.map((event) => ({ event, pending: d.pending })) : []));
        if (toAppend.length === 0) return settle(decisions, current.version, 0);
        const result = await this.store.append(
          streamId,
          toAppend.map((entry, i) => this.toNewEvent(entry, i, toAppend)),
          current.version === 0 ? 'no_stream' : current.version,
        );
        const version = result.versions[streamId] ?? current.version + toAppend.length;
        this.cache.set(streamId, { decider, state, version });
        return settle(decisions, version, result.position);
      } catch (error) {
        if (error instanceof WrongExpectedVersion) continue;
        if (error instanceof IdempotencyMismatch && batch.length > 1) return this.runEachAlone(streamId, decider, batch);
        this.cache.delete(streamId);
        for (const pending of batch) pending.reject(error);
        return;
      }
    }
    this.cache.delete(streamId);
    for (const pending of batch) pending.reject(new RetriesExhausted(streamId, this.maxAttempts));
  }

  /** A retried command whose events were already stored cannot share an append with new ones. */
  private async runEachAlone(streamId: string, decider: Decider<unknown, unknown, DomainEvent>, batch: Pending[]): Promise<void> {
    for (const pending of batch) await this.runBatch(streamId, decider, [pending]);
  }

  private async load(streamId: string, decider: Decider<unknown, unknown, DomainEvent>, refresh: boolean) {
    const cached = this.cache.get(streamId);
    let state = cached && cached.decider === decider ? cached.state : decider.initialState();
    let version = cached && cached.decider === decider ? cached.version : 0;
    if (cached && cached.decider === decider && !refresh) return { state, version, read: false };
    for (const event of await this.store.readStream(streamId, version + 1)) {
      if (event.version <= version) continue;
      state = decider.evolve(state, { type: event.type, data: event.data });
      version = event.version;
    }
    this.cache.set(streamId, { decider, state, version });
    return { state, version, read: true };
  }

  private toNewEvent(entry: { event: DomainEvent; pending: Pending }, index: number, all: { pending: Pending }[]): NewEvent {
    const own = all.slice(0, index).filter((other) => other.pending === entry.pending).length;
    const { eventId, metadata } = entry.pending.options;
    return { id: eventId ? eventId(own) : this.ids.next(), type: entry.event.type, data: entry.event.data, metadata };
  }
}

function decideAll(decider: Decider<unknown, unknown, DomainEvent>, initial: unknown, batch: Pending[]) {
  let state = initial;
  const decisions: Decision[] = [];
  for (const pending of batch) {
    try {
      const events = decider.decide(pending.command, state);
      for (const event of events) state = decider.evolve(state, event);
      decisions.push({ pending, events });
    } catch (error) {
      decisions.push({ pending, error });
    }
  }
  return { decisions, state };
}

function settle(decisions: Decision[], version: number, position: number): void {
  for (const decision of decisions) {
    if ('error' in decision) decision.pending.reject(decision.error);
    else decision.pending.resolve({ events: decision.events, version, position: decision.events.length ? position : 0 });
  }
}
