import { Counter, Gauge, Histogram } from 'prom-client';
import type { AdmitTickReport } from '../../application/admission/admit-show.handler.js';

// module-level: prom-client's registry is per process, and a metric may be registered only once
const waiting = new Gauge({
  name: 'onsale_queue_waiting',
  help: 'Members waiting in the queue (every process reports the same figure)',
  labelNames: ['show'],
});
const active = new Gauge({ name: 'onsale_queue_active', help: 'Members admitted and still shopping (leases)', labelNames: ['show'] });
const admitted = new Counter({
  name: 'onsale_queue_admitted_total',
  help: 'Members admitted, counted once by the process that recorded them (any path: tick, refill after a confirm or leave); sum over processes',
  labelNames: ['show'],
});
const abandoned = new Counter({
  name: 'onsale_queue_abandoned_total',
  help: 'Leases that ran out in silence: places given back',
  labelNames: ['show'],
});
const etaError = new Histogram({
  name: 'onsale_queue_eta_error_seconds',
  help: 'Actual wait minus the ETA given at join (positive: later than said)',
  buckets: [-300, -60, -20, -5, -1, 0, 1, 5, 20, 60, 300],
});

/** Records what one admitter tick saw and did. */
export function recordAdmitTick(report: AdmitTickReport): void {
  if (report.phase === 'idle') return;
  waiting.set({ show: report.showId }, report.waiting);
  active.set({ show: report.showId }, report.active);
  if (report.recorded) admitted.inc({ show: report.showId }, report.recorded);
  if (report.expired) abandoned.inc({ show: report.showId }, report.expired);
  for (const error of report.etaErrors) etaError.observe(error);
}
