/**
 * The event store port. Versions count events in a stream: the first event of a stream has
 * version 1, and a stream with no events has version 0. Global positions are commit-ordered:
 * a reader that asks for `position > checkpoint` never skips an event that committed late.
 */
export type StreamState = number | 'no_stream' | 'stream_exists' | 'any';

export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  [key: string]: unknown;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** Client-chosen id (a UUID): sending the same ids again returns the first result. */
  id: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
  /** Shape version of `data`, 1 unless the event type has been revised. */
  schemaVersion?: number;
}

export interface RecordedMetadata extends EventMetadata {
  schemaVersion: number;
  recordedAt: Date;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  streamId: string;
  version: number;
  position: number;
  type: Type;
  data: Data;
  metadata: RecordedMetadata;
}

export interface StreamAppend {
  streamId: string;
  expected: StreamState;
  events: NewEvent[];
}

/** A value that only one owner may hold in a scope, e.g. ('member-email', 'a@b.c'). */
export interface UniquenessClaim {
  scope: string;
  value: string;
}

export interface AppendOptions {
  /** Claimed in the same transaction as the events; a taken claim fails the append. */
  claims?: UniquenessClaim[];
  /** Released in the same transaction, so the value can be claimed again. */
  releases?: UniquenessClaim[];
}

export interface AppendResult {
  /** Global position of the last event written (or first written, when the append was a retry). */
  position: number;
  /** New version of every stream the append touched. */
  versions: Record<string, number>;
}

/** Rewrites an old event shape into the current one on read. */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

export interface EventStore {
  append(streamId: string, events: NewEvent[], expected: StreamState, options?: AppendOptions): Promise<AppendResult>;
  /** Appends to several streams atomically: all of them commit, or none. */
  appendMulti(appends: StreamAppend[], options?: AppendOptions): Promise<AppendResult>;
  /** Events of one stream with `version >= fromVersion` (default 1), in order; [] for no stream. */
  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]>;
  /** Events with `position > after`, in position order, at most `limit`. */
  readAll(after: number, limit: number): Promise<RecordedEvent[]>;
  headPosition(): Promise<number>;
  /** The current version of each stream (0 for no stream), in one read: cheaper than reading their events. */
  headVersions(streamIds: string[]): Promise<Map<string, number>>;
  /** Resolves true as soon as an event past `after` exists, false after `timeoutMs`. */
  waitForEvents(after: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}
