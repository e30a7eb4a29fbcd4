import { PassThrough } from 'node:stream';

/** One second of a sale, as the organizer's dashboard charts it. */
export interface SaleSample {
  at: string;
  state: string;
  capacity: number;
  sold: number;
  held: number;
  remaining: number;
  /** Whether the show sells through the waiting room. */
  waitingRoom: boolean;
  /** The waiting room (zeros without one): waiting, admitted and buying now, admitted and abandoned so far. */
  waiting: number;
  active: number;
  admittedTotal: number;
  abandonedTotal: number;
  admitPerSecond: number;
  maxActive: number;
  paused: boolean;
  /** Running sum and number of admitted members' ETA errors (seconds; positive: later than told at join): the chart's mean per interval. */
  etaErrorSumSeconds: number;
  etaErrorCount: number;
  /** The slowest read model: events of the log not applied yet, and the age of the oldest. */
  projectionLagPositions: number;
  projectionLagSeconds: number;
  /** 4xx and 5xx answered by every process of the deployment so far (all routes, not only this show's). */
  clientErrorsTotal: number;
  serverErrorsTotal: number;
  /** Forged ticket codes scanned at this show's doors, per gate (the door's alert). */
  forgedScans: { gate: string; forged: number; lastAt: string }[];
}

/**
 * Server-Sent Events: a `sample` every `everyMs` until the client goes (a failed sample is skipped,
 * the stream goes on). One read-cache read and, with a waiting room, one queue read per sample.
 */
export function liveSaleStream(sample: () => Promise<SaleSample>, everyMs = 1000): { stream: PassThrough; stop(): void } {
  const stream = new PassThrough();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      stream.write(`event: sample\ndata: ${JSON.stringify(await sample())}\n\n`);
    } catch {
      stream.write(': sample failed\n\n');
    }
    if (!stopped) timer = setTimeout(() => void tick(), everyMs);
  };
  void tick();
  return {
    stream,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      stream.end();
    },
  };
}
