/** Counts check-ins by outcome: `admitted` or the refusal's code (`TICKET.ALREADY_USED`, …). */
export interface CheckInMetrics {
  decided(outcome: string): void;
  /** A forged code was scanned; `showId` as the alert attributes it (or `unattributed`). */
  forgedScan(showId: string): void;
}
