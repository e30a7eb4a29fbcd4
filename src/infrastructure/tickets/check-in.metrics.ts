import { Counter } from 'prom-client';
import type { CheckInMetrics } from '../../application/ports/check-in-metrics.js';

// module-level: prom-client's registry is per process, and a metric may be registered only once
const checkIns = new Counter({
  name: 'onsale_checkins_total',
  help: 'Door check-ins decided by this process, by outcome: admitted, or the refusal code (TICKET.ALREADY_USED, TICKET.FORGED, …)',
  labelNames: ['outcome'],
});
const forgedScans = new Counter({
  name: 'onsale_checkin_forged_scans_total',
  help: 'Forged ticket codes scanned at a door (TICKET.FORGED, TICKET.UNKNOWN_KEY), by the show they are counted for (or unattributed)',
  labelNames: ['show'],
});

/** The door's counter in prom-client's registry (GET /metrics); per show and gate: GET /api/shows/:id/checkins. */
export const checkInMetrics: CheckInMetrics = {
  decided: (outcome) => checkIns.inc({ outcome }),
  forgedScan: (show) => forgedScans.inc({ show }),
};
