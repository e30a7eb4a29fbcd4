import { Histogram } from 'prom-client';

// module-level: prom-client's registry is per process, and a metric may be registered only once
const appendSeconds = new Histogram({
  name: 'onsale_eventstore_append_duration_seconds',
  help: 'Time an append takes as its caller sees it (group-commit wait included), by operation and outcome (ok, conflict: an expected version or a claim refused it, error)',
  labelNames: ['operation', 'outcome'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});
const appendEvents = new Histogram({
  name: 'onsale_eventstore_append_events',
  help: 'Events written by one append (a booking batch folds many commands into one), by operation',
  labelNames: ['operation'],
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
});

export type AppendOperation = 'append' | 'append_multi';
export type AppendOutcome = 'ok' | 'conflict' | 'error';

/** Records one append: how long it took and, when it wrote, how many events. */
export function recordAppend(operation: AppendOperation, outcome: AppendOutcome, seconds: number, events: number): void {
  appendSeconds.observe({ operation, outcome }, seconds);
  if (outcome === 'ok') appendEvents.observe({ operation }, events);
}
