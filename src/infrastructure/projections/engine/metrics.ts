import { Gauge, register } from 'prom-client';
import type { ProjectionStatus } from './status.js';

type StatusSource = () => Promise<ProjectionStatus[]>;

const sources = new Set<StatusSource>();
let gauges: { positions: Gauge<'projection'>; seconds: Gauge<'projection'>; failed: Gauge<'projection'> } | undefined;

/**
 * Exposes lag in positions and seconds per projection, read from the database at each scrape
 * (so that every process reports the same figures, whichever holds the lease).
 */
export function exposeProjectionLag(source: StatusSource): () => void {
  gauges ??= createGauges();
  sources.add(source);
  return () => sources.delete(source);
}

function createGauges() {
  const statuses = async () => (await Promise.all([...sources].map((source) => source().catch(() => [])))).flat();
  const gauge = (name: string, help: string, value: (status: ProjectionStatus) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['projection'],
      registers: [register],
      async collect() {
        this.reset();
        for (const status of await statuses()) this.set({ projection: status.name }, value(status));
      },
    });
  return {
    positions: gauge('onsale_projection_lag_positions', 'Events in the log not yet applied by the projection', (s) => s.lagPositions),
    seconds: gauge(
      'onsale_projection_lag_seconds',
      'Age in seconds of the oldest event not yet applied by the projection',
      (s) => s.lagSeconds,
    ),
    failed: gauge('onsale_projection_failed', '1 when the projection stopped on an event that failed', (s) =>
      s.state === 'failed' ? 1 : 0,
    ),
  };
}
