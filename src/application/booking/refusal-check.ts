import { DomainError } from '../../domain/shared/domain-error.js';
import type { BookingMetrics } from '../ports/booking-metrics.js';
import type { EventStore } from '../ports/event-store.js';

/** A refusal in doubt: the streams it read from memory, unchecked since. */
export interface Doubted<T> {
  refusal: T;
  streams: string[];
}

export interface CheckedRefusals<T> {
  /** Refusals whose streams are where they were decided: they stand. */
  stand: T[];
  /** Refusals that read a stream another process has moved on since: decide them again. */
  redecide: T[];
  moved: Set<string>;
  /** Every stream whose head was read. */
  checked: string[];
}

/**
 * Checks the streams that refusals rest on against the store, in one read of their head versions.
 * `known` is the version each was decided on. When the store cannot answer, the refusals stand
 * (as they did before any check).
 */
export async function checkRefusals<T>(
  store: EventStore,
  doubted: Doubted<T>[],
  known: (streamId: string) => number,
  metrics: BookingMetrics,
): Promise<CheckedRefusals<T>> {
  const checked = [...new Set(doubted.flatMap((d) => d.streams))];
  const heads = await store.headVersions(checked).catch(() => undefined);
  const moved = new Set(checked.filter((id) => (heads?.get(id) ?? 0) > known(id)));
  const stand: T[] = [];
  const redecide: T[] = [];
  for (const { refusal, streams } of doubted) {
    const again = streams.some((id) => moved.has(id));
    metrics.refusalChecked(again ? 'moved' : 'current');
    (again ? redecide : stand).push(refusal);
  }
  return { stand, redecide, moved, checked };
}

/** Wraps a command's answer to count whether its fresh decision repeated the refusal `first`. */
export function countRedecision<A>(
  first: unknown,
  answer: { resolve(outcome: A): void; reject(error: unknown): void },
  metrics: BookingMetrics,
) {
  return {
    resolve(outcome: A) {
      metrics.refusalRedecided('differed');
      answer.resolve(outcome);
    },
    reject(error: unknown) {
      metrics.refusalRedecided(sameRefusal(first, error) ? 'same' : 'differed');
      answer.reject(error);
    },
  };
}

function sameRefusal(a: unknown, b: unknown): boolean {
  return a instanceof DomainError && b instanceof DomainError && a.code === b.code;
}
