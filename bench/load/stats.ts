/** Counts and latencies of one load run, per request label ("hold", "confirm", "seats", …). */
export class LoadStats {
  readonly latencies = new Map<string, number[]>();
  /** When each request of `latencies` was sent (Date.now() ms), in the same order. */
  readonly sentAt = new Map<string, number[]>();
  readonly statuses = new Map<string, number>();
  readonly codes = new Map<string, number>();
  /** Labels whose time is waiting (an SSE listen until admission), not latency: left out of percentiles. */
  readonly waits = new Set<string>();
  /** How waits and other steps ended ("listen admitted", "listen closed", …). */
  readonly outcomes = new Map<string, number>();
  bookings = 0;
  /** Admitted members whose hold was refused with 403 ADMISSION.INVALID: sent before the lease's end (told), or after. */
  readonly admittedRefused = { inTime: 0, late: 0 };
  /** Admissions the virtual users heard of (a queued run). */
  admissionsHeard = 0;
  ticketsBooked = 0;
  failures = 0;
  /** Seat (or ticket) ids seen in confirmations: a repeat is an oversell the clients can see. */
  readonly confirmedSeats = new Map<string, number>();
  startedAt = 0;
  endedAt = 0;

  /** `status` 0 is a failure (no answer); `cut` a request the run's end cut before it was answered. */
  record(label: string, status: number | 'cut', ms: number, code?: string): void {
    let list = this.latencies.get(label);
    if (!list) this.latencies.set(label, (list = []));
    list.push(ms);
    let sent = this.sentAt.get(label);
    if (!sent) this.sentAt.set(label, (sent = []));
    sent.push(Date.now() - ms);
    const key = status === 0 ? 'failed' : String(status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (status === 0) this.failures++;
    if (code) this.codes.set(`${status} ${code}`, (this.codes.get(`${status} ${code}`) ?? 0) + 1);
  }

  /** A request that is counted, but whose time is waiting rather than latency (see `waits`). */
  recordWait(label: string, status: number | 'cut', ms: number, code?: string): void {
    this.waits.add(label);
    this.record(label, status, ms, code);
  }

  refusedAdmitted(sentBeforeLeaseEnd: boolean): void {
    if (sentBeforeLeaseEnd) this.admittedRefused.inTime++;
    else this.admittedRefused.late++;
  }

  outcome(what: string): void {
    this.outcomes.set(what, (this.outcomes.get(what) ?? 0) + 1);
  }

  booked(seats: string[], quantity = seats.length): void {
    this.bookings++;
    this.ticketsBooked += Math.max(quantity, seats.length);
    for (const seat of seats) this.confirmedSeats.set(seat, (this.confirmedSeats.get(seat) ?? 0) + 1);
  }

  get seconds(): number {
    return Math.max(0.001, (this.endedAt || Date.now()) - this.startedAt) / 1000;
  }

  get requests(): number {
    let total = 0;
    for (const list of this.latencies.values()) total += list.length;
    return total;
  }

  count(label: string): number {
    return this.latencies.get(label)?.length ?? 0;
  }

  /**
   * Percentile (0–100) over the given labels, or every request but the waits; with `sentAfterMs`,
   * of the requests sent that long after the run's start or later (the run without its opening burst).
   */
  percentile(p: number, labels?: string[], sentAfterMs?: number): number {
    const chosen = labels ?? [...this.latencies.keys()].filter((label) => !this.waits.has(label));
    const from = sentAfterMs === undefined ? -Infinity : this.startedAt + sentAfterMs;
    const lists = chosen.map((label) => {
      const list = this.latencies.get(label) ?? [];
      const sent = this.sentAt.get(label) ?? [];
      return sentAfterMs === undefined ? list : list.filter((_, i) => sent[i]! >= from);
    });
    const all = Float64Array.from(lists.flat()).sort();
    if (all.length === 0) return NaN;
    return all[Math.min(all.length - 1, Math.ceil((p / 100) * all.length) - 1)]!;
  }

  serverErrors(): number {
    let total = 0;
    for (const [status, n] of this.statuses) if (status.startsWith('5')) total += n;
    return total;
  }

  duplicateSeats(): number {
    let duplicates = 0;
    for (const n of this.confirmedSeats.values()) if (n > 1) duplicates += n - 1;
    return duplicates;
  }
}
