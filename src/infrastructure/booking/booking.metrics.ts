import { Counter } from 'prom-client';
import type { BookingMetrics } from '../../application/ports/booking-metrics.js';

// module-level: prom-client's registry is per process, and a metric may be registered only once
const conflicts = new Counter({
  name: 'onsale_booking_conflicts_total',
  help: 'Booking appends refused by an expected version (another process wrote the stream first), by the stream that moved on',
  labelNames: ['stream'],
});
const batches = new Counter({ name: 'onsale_booking_batches_total', help: 'Booking appends (each folds one or more commands)' });
const commands = new Counter({ name: 'onsale_booking_commands_total', help: 'Booking commands decided', labelNames: ['outcome'] });
const checks = new Counter({
  name: 'onsale_booking_refusal_checks_total',
  help: 'Refusals decided on states kept in memory and checked against the store before answering, by whether a stream they rest on had moved on (then they are decided again on fresh state)',
  labelNames: ['result'],
});
const redecided = new Counter({
  name: 'onsale_booking_refusals_redecided_total',
  help: 'Refusals decided again on fresh state, by whether the fresh decision was the same refusal or differed (done, or refused for another reason)',
  labelNames: ['decision'],
});

/** The booking processor's counters in prom-client's registry (GET /metrics). */
export const bookingMetrics: BookingMetrics = {
  conflict: (stream) => conflicts.inc({ stream }),
  appended: () => batches.inc(),
  decided: (outcome) => commands.inc({ outcome }),
  refusalChecked: (result) => checks.inc({ result }),
  refusalRedecided: (decision) => redecided.inc({ decision }),
};
