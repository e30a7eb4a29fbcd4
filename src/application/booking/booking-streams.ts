import { inject, injectable } from 'tsyringe';
import type { InventoryEvent, LedgerEvent } from '../../domain/booking/booking.events.js';
import { cloneInventory, evolveInventory, initialInventory, type InventoryState } from '../../domain/booking/inventory.state.js';
import { cloneLedger, evolveLedger, initialLedger, type LedgerState } from '../../domain/booking/ledger.state.js';
import type { EventStore } from '../ports/event-store.js';
import { TOKENS } from '../tokens.js';

type StreamState = InventoryState | LedgerState;

interface Entry {
  state: StreamState;
  version: number;
}

export interface LoadedStreams {
  /** Private copies the batch may change; committed only when its append succeeds. */
  working: Map<string, unknown>;
  versions: Map<string, number>;
  /** Streams taken from memory (or assumed empty) without reading the store: another process may have moved them on. */
  unread: Set<string>;
}

/** Booking stream states kept between commands (least recently used out), read from the store on a miss. */
@injectable()
export class BookingStreams {
  private readonly entries = new Map<string, Entry>();
  capacity = 100_000;

  constructor(@inject(TOKENS.EventStore) private readonly store: EventStore) {}

  /** `assumeEmpty`: streams taken as new when not cached (unless stale); the append's expected version checks it. */
  async load(streamIds: string[], stale: Set<string>, assumeEmpty = new Set<string>()): Promise<LoadedStreams> {
    const unread = new Set(streamIds.filter((id) => !stale.has(id) && (this.entries.has(id) || assumeEmpty.has(id))));
    const entries = await Promise.all(
      streamIds.map((id) =>
        !stale.has(id) && assumeEmpty.has(id) && !this.entries.has(id)
          ? { state: initialLedger(), version: 0 }
          : this.entry(id, stale.has(id)),
      ),
    );
    const working = new Map<string, unknown>();
    const versions = new Map<string, number>();
    streamIds.forEach((id, i) => {
      working.set(
        id,
        isInventory(id) ? cloneInventory(entries[i]!.state as InventoryState) : cloneLedger(entries[i]!.state as LedgerState),
      );
      versions.set(id, entries[i]!.version);
    });
    return { working, versions, unread };
  }

  /** Keeps the states of the streams an append just wrote. */
  commit(working: Map<string, unknown>, versions: Record<string, number>): void {
    for (const [id, version] of Object.entries(versions)) {
      const state = working.get(id);
      if (state) this.remember(id, { state: state as StreamState, version });
    }
  }

  /**
   * Keeps the free-run indexes a batch that wrote nothing built on its copies (best available
   * builds them on first use), so that refusals do not build them again and again.
   */
  adoptIndexes(working: Map<string, unknown>): void {
    for (const [id, state] of working) {
      const entry = this.entries.get(id);
      const runs = isInventory(id) ? (state as InventoryState).runs : undefined;
      if (runs && entry && !(entry.state as InventoryState).runs) (entry.state as InventoryState).runs = runs;
    }
  }

  /** A member's ledger as last seen (read-only; re-read when `refresh`), to learn a hold's parts. */
  async ledger(streamId: string, refresh = false): Promise<LedgerState> {
    return (await this.entry(streamId, refresh)).state as LedgerState;
  }

  /** The version this process has seen of a stream (a stream not cached is read anyway: no staleness to report). */
  versionOf(streamId: string): number {
    return this.entries.get(streamId)?.version ?? Number.MAX_SAFE_INTEGER;
  }

  forget(streamIds: string[]): void {
    for (const id of streamIds) this.entries.delete(id);
  }

  private async entry(streamId: string, refresh: boolean): Promise<Entry> {
    const cached = this.entries.get(streamId);
    if (cached && !refresh) return cached;
    const entry = cached ?? { state: isInventory(streamId) ? initialInventory() : initialLedger(), version: 0 };
    for (const event of await this.store.readStream(streamId, entry.version + 1)) {
      if (event.version <= entry.version) continue;
      if (isInventory(streamId)) evolveInventory(entry.state as InventoryState, event as unknown as InventoryEvent);
      else evolveLedger(entry.state as LedgerState, event as unknown as LedgerEvent);
      entry.version = event.version;
    }
    this.remember(streamId, entry);
    return entry;
  }

  private remember(streamId: string, entry: Entry): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

const isInventory = (streamId: string) => streamId.startsWith('inventory-');
