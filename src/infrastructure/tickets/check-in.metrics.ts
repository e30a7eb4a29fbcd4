import { Counter } from 'prom-client';
import type { CheckInMetrics } from '../../application/ports/check-in-metrics.js';

// module-level: prom-client's registry is per process, and a metric may be registered only once
const checkIns = new Counter({
  name: 'onsale_checkins_total',
  help: 'Door check-ins decided by this process, by outcome: admitted, or the refusal code (TICKET.ALREADY_USED, TICKET.FORGED, …)',
  labelNames: ['outcome'],
});

/** The door's counter in prom-client's registry (GET /metrics); per show and gate: GET /api/shows/:id/checkins. */
export const checkInMetrics: CheckInMetrics = {
  decided: (outcome) => checkIns.inc({ outcome }),
};
