import type { RecordedEvent, Upcaster } from '../../application/ports/event-store.js';

/** Upcasters by event type, applied on every read. */
export type Upcasters = Readonly<Record<string, Upcaster>>;

/** An `events` row as SQL adapters read it. */
export interface EventRow {
  position: number | string;
  id: string;
  stream_id: string;
  version: number;
  type: string;
  data: string;
  metadata: string;
  schema_version: number;
  recorded_at: number | string;
}

/** A row as `readAll` may read it: data and metadata left out (null) where the reader had them. */
export type ReadRow = Omit<EventRow, 'data' | 'metadata'> & { data: string | null; metadata: string | null };

export const EVENT_COLUMNS = 'position, id, stream_id, version, type, data, metadata, schema_version, recorded_at';

export function toRecordedEvent(row: EventRow, upcasters?: Upcasters): RecordedEvent {
  // the parsed metadata is this event's own: its two fields are set on it, not on a copy
  const metadata = JSON.parse(row.metadata) as RecordedEvent['metadata'];
  metadata.schemaVersion = Number(row.schema_version);
  metadata.recordedAt = new Date(Number(row.recorded_at));
  const event: RecordedEvent = {
    id: row.id,
    streamId: row.stream_id,
    version: Number(row.version),
    position: Number(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata,
  };
  return upcast(event, upcasters);
}

export function upcast(event: RecordedEvent, upcasters?: Upcasters): RecordedEvent {
  const upcaster = upcasters?.[event.type];
  return upcaster ? upcaster(event) : event;
}
