import type { RecordedEvent } from '../../application/ports/event-store.js';
import { toRecordedEvent, type EventRow, type Upcasters } from './event-rows.js';

/** Events kept by default: a few seconds of a sale's log, some megabytes. */
const CAPACITY = 8192;

/**
 * The global log's events as read, by position, shared by every reader of one store: the nine
 * projection runners of a process read the same pages within milliseconds, and each parsed every
 * event's JSON again (a third of a booking's event-store CPU). An entry is used only when the
 * row's id is the cached event's (a position holds one event for good). Events handed out are
 * frozen, data and metadata included, since readers share them: a reader that changed one would
 * change it for the others, and now throws instead.
 */
export class ReadEventCache {
  private readonly events = new Map<number, RecordedEvent>();

  constructor(
    private readonly upcasters?: Upcasters,
    private readonly capacity = CAPACITY,
  ) {}

  /** The row as a recorded event: parsed and upcast once, then the same frozen object. */
  eventOf(row: EventRow): RecordedEvent {
    const position = Number(row.position);
    const known = this.events.get(position);
    if (known !== undefined && known.id === row.id) return known;
    const event = deepFreeze(toRecordedEvent(row, this.upcasters));
    if (known !== undefined) this.events.delete(position);
    this.events.set(position, event);
    // oldest insert first: a reader far behind (a rebuild) cycles through without growing the map
    if (this.events.size > this.capacity) this.events.delete(this.events.keys().next().value!);
    return event;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
