import type { SaleSample } from '../../api/admin-types.js';

/** The last five minutes at one sample a second. */
export const KEEP = 300;
/** 4xx/5xx per second over this many samples: every process adds its answers to the total once a second, out of step with the samples. */
export const ERROR_WINDOW = 5;

export type Column = (number | null)[];

/** The rise of a running total per second, from `window` samples back (0 for the first, never negative). */
function perSecond(samples: SaleSample[], total: (s: SaleSample) => number, window = 1): number[] {
  return samples.map((s, i) => {
    const before = samples[Math.max(0, i - window)]!;
    const seconds = (Date.parse(s.at) - Date.parse(before.at)) / 1000;
    return seconds > 0 ? Math.max(0, total(s) - total(before)) / seconds : 0;
  });
}

/** Mean ETA error (s) of the members admitted since the sample before; a gap where nobody was admitted. */
function etaErrors(samples: SaleSample[]): Column {
  return samples.map((s, i) => {
    const before = samples[i - 1];
    const admitted = before ? s.etaErrorCount - before.etaErrorCount : 0;
    return before && admitted > 0 ? (s.etaErrorSumSeconds - before.etaErrorSumSeconds) / admitted : null;
  });
}

/** Samples as uPlot's columns: time (s), then each series; bookings per second from the sold count's steps. */
export function columns(samples: SaleSample[]): Record<'tickets' | 'rate' | 'queue' | 'admissions' | 'eta' | 'lag' | 'errors', Column[]> {
  const time = samples.map((s) => Date.parse(s.at) / 1000);
  return {
    tickets: [time, samples.map((s) => s.sold), samples.map((s) => s.held), samples.map((s) => s.capacity)],
    rate: [time, perSecond(samples, (s) => s.sold)],
    queue: [time, samples.map((s) => s.waiting), samples.map((s) => s.active), samples.map((s) => (s.paused ? 0 : s.admitPerSecond))],
    admissions: [time, perSecond(samples, (s) => s.admittedTotal), perSecond(samples, (s) => s.abandonedTotal)],
    eta: [time, etaErrors(samples)],
    lag: [time, samples.map((s) => s.projectionLagSeconds)],
    errors: [
      time,
      perSecond(samples, (s) => s.clientErrorsTotal, ERROR_WINDOW),
      perSecond(samples, (s) => s.serverErrorsTotal, ERROR_WINDOW),
    ],
  };
}
