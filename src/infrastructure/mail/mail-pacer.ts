import { cpuTimes, idleShareSince, type CpuTimes } from '../machine-idle.js';

export interface MailPacerOptions {
  /** Below this idle share of the machine's CPU since the last tick, the machine is busy (default 0.25). */
  minIdleShare?: number;
  /** While busy with a backlog, one round at most this often (default 10 s): a sale's requests come first. */
  busyIntervalMs?: number;
}

/** The machine's CPU as the pacer reads it (the operating system's, or a spec's). */
export interface MachineCpu {
  times(): CpuTimes;
  idleShareSince(from: CpuTimes, now: CpuTimes): number;
}

const OPERATING_SYSTEM: MachineCpu = { times: cpuTimes, idleShareSince };

/**
 * Whether the mail sender's tick may start a round: every tick while the machine has CPU to spare
 * or the last round emptied the outbox (a trickle goes out at once), but one round every
 * `busyIntervalMs` while the machine is busy and mails pile up (a sale). A mail costs a few
 * milliseconds (its tickets' codes and QR images, its MIME), several bookings' worth: during a
 * sale each process sending a batch every second took 5–10 % of a worker from the buyers, where a
 * batch every 10 s keeps the backlog moving and the rest goes out as soon as the sale leaves room.
 */
export class MailPacer {
  private since: CpuTimes;
  private lastRound = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: MailPacerOptions = {},
    private readonly machine: MachineCpu = OPERATING_SYSTEM,
    private readonly now: () => number = Date.now,
  ) {
    this.since = machine.times();
  }

  /** Called at each tick: true when a round starts now (and is counted as started). `backlog`: the last round left mails due. */
  roundDue(backlog: boolean): boolean {
    const times = this.machine.times();
    const busy = this.machine.idleShareSince(this.since, times) < (this.options.minIdleShare ?? 0.25);
    this.since = times;
    const at = this.now();
    if (busy && backlog && at - this.lastRound < (this.options.busyIntervalMs ?? 10_000)) return false;
    this.lastRound = at;
    return true;
  }
}
