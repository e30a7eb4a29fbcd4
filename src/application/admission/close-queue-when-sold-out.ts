import type { AdmissionGate } from '../ports/admission-gate.js';

/**
 * When seats were held or sold (the shows read model has just taken them in), a show with no
 * tickets left closes its waiting room as sold out; it reopens when tickets come back.
 */
export class CloseQueueWhenSoldOut {
  constructor(
    private readonly gate: AdmissionGate,
    /** No ticket left right now, from the shows read model. */
    private readonly soldOut: (showId: string) => Promise<boolean>,
  ) {}

  async seatsTaken(showIds: Iterable<string>): Promise<void> {
    for (const showId of showIds) if (await this.soldOut(showId)) await this.gate.soldOut(showId);
  }
}
