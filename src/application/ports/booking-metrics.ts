/** What the booking processor counts (conflicts, appends, decisions, refusal checks). */
export interface BookingMetrics {
  /** An append refused by a stream's expected version, by the kind of stream that moved on. */
  conflict(stream: 'inventory' | 'ledger'): void;
  /** One append folding one or more commands. */
  appended(): void;
  /** A command decided and answered. */
  decided(outcome: 'done' | 'refused'): void;
  /** A refusal decided on memory, checked against the store. */
  refusalChecked(result: 'moved' | 'current'): void;
  /** A refusal decided again on fresh state: the same refusal, or another answer. */
  refusalRedecided(decision: 'same' | 'differed'): void;
}

/** Counts nothing (tests that do not read the counters). */
export const noBookingMetrics: BookingMetrics = {
  conflict: () => undefined,
  appended: () => undefined,
  decided: () => undefined,
  refusalChecked: () => undefined,
  refusalRedecided: () => undefined,
};
