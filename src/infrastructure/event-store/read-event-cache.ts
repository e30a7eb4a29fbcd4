import type { RecordedEvent } from '../../application/ports/event-store.js';
import { toRecordedEvent, type EventRow, type ReadRow, type Upcasters } from './event-rows.js';

/** Positions kept by default (EVENT_CACHE_POSITIONS): the spread of a busy process's projection runners, about 1.8 KB each. */
export const CACHE_POSITIONS = 32_768;

/** A position's event: its row as committed here (parsed when first read), then the event. */
interface Entry {
  position: number;
  id: string;
  row?: EventRow;
  event?: RecordedEvent;
}

/**
 * The global log's events by position, shared by every reader of one store: the nine projection
 * runners of a process read the same pages within milliseconds, and each parsed every event's
 * JSON again (a third of a booking's event-store CPU). Filled by reads and by this process's own
 * commits, so every entry is a committed event: the log is append-only and a position holds one
 * event for good (a restore goes into a fresh database, under servers started afresh). A row read
 * back is still matched by its event id. Events handed out are frozen, data and metadata
 * included, since readers share them: a reader that changed one would change it for the others,
 * and now throws instead.
 */
export class ReadEventCache {
  /** A ring by position: a position's slot is `position % capacity`, so a newer position replaces the one `capacity` before it. */
  private readonly slots: (Entry | undefined)[];

  constructor(
    private readonly upcasters?: Upcasters,
    private readonly capacity = CACHE_POSITIONS,
  ) {
    this.slots = new Array<Entry | undefined>(capacity);
  }

  /** Rows just committed by this process, to be parsed only if somebody reads them. */
  remember(rows: EventRow[]): void {
    for (const row of rows) {
      const position = Number(row.position);
      if (this.entryAt(position)?.id !== row.id) this.slots[position % this.capacity] = { position, id: row.id, row };
    }
  }

  /** The last position of the run after `after` (at most `limit` long) whose events are all here; `after` when none is. */
  knownAfter(after: number, limit: number): number {
    let position = after;
    while (position < after + limit && this.entryAt(position + 1) !== undefined) position++;
    return position;
  }

  /**
   * The runs of positions here among the `limit` after `after`, first to last, at most `most` of
   * them (the later ones left out): what a read of the log need not send again.
   */
  knownRuns(after: number, limit: number, most = 32): [number, number][] {
    const runs: [number, number][] = [];
    for (let position = after + 1; position <= after + limit && runs.length < most; position++) {
      if (this.entryAt(position) === undefined) continue;
      const from = position;
      while (position < after + limit && this.entryAt(position + 1) !== undefined) position++;
      runs.push([from, position]);
    }
    return runs;
  }

  /** The events after `after` through `through`, when every one of them is here; undefined when one is not (or the run is empty). */
  runThrough(after: number, through: number): RecordedEvent[] | undefined {
    if (through <= after) return undefined;
    const events: RecordedEvent[] = [];
    for (let position = after + 1; position <= through; position++) {
      const entry = this.entryAt(position);
      if (entry === undefined) return undefined;
      events.push(this.eventOfEntry(entry));
    }
    return events;
  }

  /** The row as a recorded event: parsed and upcast once, then the same frozen object. */
  eventOf(row: EventRow): RecordedEvent {
    return this.known(row) ?? this.parse(row);
  }

  /**
   * The same for a row that may have been read without its data and metadata (they were known
   * here when the read was sent): undefined when such a row's entry is gone or another event's,
   * and the caller reads it again in full.
   */
  eventOfRead(row: ReadRow): RecordedEvent | undefined {
    const known = this.known(row);
    if (known !== undefined) return known;
    return row.data === null || row.metadata === null ? undefined : this.parse(row as EventRow);
  }

  private known(row: ReadRow): RecordedEvent | undefined {
    const entry = this.entryAt(Number(row.position));
    if (entry === undefined || entry.id !== row.id) return undefined;
    return this.eventOfEntry(entry);
  }

  private eventOfEntry(entry: Entry): RecordedEvent {
    if (entry.event === undefined) {
      entry.event = deepFreeze(toRecordedEvent(entry.row!, this.upcasters));
      entry.row = undefined;
    }
    return entry.event;
  }

  private parse(row: EventRow): RecordedEvent {
    const event = deepFreeze(toRecordedEvent(row, this.upcasters));
    const position = Number(row.position);
    this.slots[position % this.capacity] = { position, id: row.id, event };
    return event;
  }

  private entryAt(position: number): Entry | undefined {
    const entry = this.slots[position % this.capacity];
    return entry?.position === position ? entry : undefined;
  }
}

/** Freezes JSON data and what it holds; walked without `Object.keys`, whose array a key list was (4 KB a booking). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    // parsed JSON and the metadata built from it: plain objects, no inherited enumerable keys
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return Object.freeze(value);
}
