import type { SaleSample } from '../../api/admin-types.js';

/** The last five minutes at one sample a second. */
export const KEEP = 300;

/** Samples as uPlot's columns: time (s), then each series; bookings per second from the sold count's steps. */
export function columns(samples: SaleSample[]): { tickets: number[][]; rate: number[][]; queue: number[][] } {
  const time = samples.map((s) => Date.parse(s.at) / 1000);
  const perSecond = samples.map((s, i) => {
    const before = samples[i - 1];
    if (!before) return 0;
    const seconds = (Date.parse(s.at) - Date.parse(before.at)) / 1000;
    return seconds > 0 ? Math.max(0, s.sold - before.sold) / seconds : 0;
  });
  return {
    tickets: [time, samples.map((s) => s.sold), samples.map((s) => s.held), samples.map((s) => s.capacity)],
    rate: [time, perSecond],
    queue: [time, samples.map((s) => s.waiting), samples.map((s) => s.active), samples.map((s) => (s.paused ? 0 : s.admitPerSecond))],
  };
}
