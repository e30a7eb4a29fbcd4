import { inject, injectable } from 'tsyringe';
import { parseTicketCode } from '../../domain/tickets/ticket-code.js';
import { doorAlertsStreamId, UNATTRIBUTED_SHOW, type ForgedTicketScanned } from '../../domain/tickets/tickets.events.js';
import type { CheckInMetrics } from '../ports/check-in-metrics.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import type { SaleCatalog } from '../ports/sale-catalog.js';
import { TOKENS } from '../tokens.js';

/** Refusals that mean a made-up or altered code (a code of another shape is only a wrong scan). */
export const FORGERY_CODES: ReadonlySet<string> = new Set(['TICKET.FORGED', 'TICKET.UNKNOWN_KEY']);

export interface ForgedScan {
  code: string;
  gate: string;
  staffId: string;
  /** The show the door admits to, when the scanner says. */
  doorShowId?: string;
  reason: string;
}

/**
 * Records a forged scan for the organizer's alert. Counted for the door's show when the scanner
 * names one that exists (that is where the forger stands), else for the show the code claims when
 * it exists, else as `unattributed` (a made-up id does not open a stream or a counter of its own).
 */
@injectable()
export class RecordForgedScanHandler {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.SaleCatalog) private readonly catalog: SaleCatalog,
    @inject(TOKENS.CheckInMetrics) private readonly metrics: CheckInMetrics,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Ids) private readonly ids: IdGenerator,
  ) {}

  async handle(scan: ForgedScan): Promise<ForgedTicketScanned['data']> {
    const claimedShowId = claimedShow(scan.code);
    const showId = (await this.known(scan.doorShowId)) ?? (await this.known(claimedShowId)) ?? UNATTRIBUTED_SHOW;
    const data: ForgedTicketScanned['data'] = {
      showId,
      ...(claimedShowId ? { claimedShowId } : {}),
      gate: scan.gate,
      staffId: scan.staffId,
      reason: scan.reason,
      scannedAt: this.clock.now().toISOString(),
    };
    await this.store.append(doorAlertsStreamId(showId), [{ id: this.ids.next(), type: 'ForgedTicketScanned', data }], 'any');
    this.metrics.forgedScan(showId);
    return data;
  }

  /** The id when a show has it (the scanner's and the code's ids are both free text to a forger). */
  private async known(showId: string | undefined): Promise<string | undefined> {
    return showId && (await this.catalog.saleSettings(showId)) ? showId : undefined;
  }
}

function claimedShow(code: string): string | undefined {
  try {
    return parseTicketCode(code).ticket.showId;
  } catch {
    return undefined;
  }
}
