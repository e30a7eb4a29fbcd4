import { ApiError } from '../api/http.js';
import type { Scan } from './door-check.js';

export type CheckInCall = (scan: Scan) => Promise<unknown>;

/**
 * Sends the queued scans to the server, oldest first, and says what became of each: the server
 * decides every check-in (exactly once), so a ticket another gate admitted first comes back as a
 * conflict to show the staff. Stops at the first failure that is not the server's answer (network,
 * session, server error): the rest stay queued for the next try.
 */
export async function syncScans(queued: readonly Scan[], checkIn: CheckInCall, save: (scan: Scan) => Promise<void>): Promise<Scan[]> {
  const done: Scan[] = [];
  for (const scan of queued) {
    let next: Scan;
    try {
      await checkIn(scan);
      next = { ...scan, state: 'synced' };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 0 || error.status === 401 || error.status >= 500) break;
      const { gate, checkedInAt } = error.problem as { gate?: string; checkedInAt?: string };
      // Our own earlier send whose answer was lost: the server has it from this gate.
      const ours = error.code === 'TICKET.ALREADY_USED' && gate === scan.gate && (checkedInAt ?? '') >= scan.scannedAt;
      next = ours
        ? { ...scan, state: 'synced' }
        : { ...scan, state: 'conflict', problem: { code: error.code, ...(gate ? { gate } : {}), ...(checkedInAt ? { checkedInAt } : {}) } };
    }
    await save(next);
    done.push(next);
  }
  return done;
}
