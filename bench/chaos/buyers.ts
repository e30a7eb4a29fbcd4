import { randomUUID } from 'node:crypto';

/** One HTTP answer a buyer got: `status` 0 when the request itself failed (connection, 15 s timeout). */
export interface Answer {
  op: 'hold' | 'confirm';
  status: number;
  /** ms since the run started, when the answer came. */
  at: number;
  ms: number;
  retryAfter?: string;
  code?: string;
}

/** A reservation a buyer was told about (201 to a confirm). */
export interface SeenConfirm {
  memberId: string;
  reservationId: string;
  seats: string[];
}

export interface Buyer {
  id: string;
  token: string;
}

export interface BuyersOptions {
  baseUrl: string;
  showId: string;
  seats: string[];
  buyers: Buyer[];
  /** The run's clock start (performance.now()). */
  startedAt: number;
  /** Longest wait before retrying a 503 (Retry-After is honoured up to this). */
  maxRetryWaitMs?: number;
}

const REQUEST_TIMEOUT_MS = 15_000;
/** Answers that say nothing about the request's fate: the same key is sent again (0: no answer at all;
 * 502 / 504: Nginx lost the host the request went to, before or after it was handled). */
const RETRIED = new Set([0, 502, 503, 504]);

/**
 * Buyers who each hold one seat and confirm it, again and again, until stopped: a 503 (or a failed
 * request) is retried with the same Idempotency-Key after Retry-After, as a well-behaved client does,
 * so that every confirm ends in a true answer (502 and 504 from Nginx likewise). Seats come from one shared pool, so buyers race.
 */
export class BuyerCrowd {
  readonly answers: Answer[] = [];
  readonly confirms: SeenConfirm[] = [];
  private readonly free: string[];
  private stopped = false;
  private running: Promise<void>[] = [];

  constructor(private readonly options: BuyersOptions) {
    this.free = [...options.seats];
  }

  start(): void {
    this.running = this.options.buyers.map((buyer) => this.buy(buyer));
  }

  /** Stops taking new seats; a confirm in flight is retried until it has its true answer. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
  }

  private async buy(buyer: Buyer): Promise<void> {
    while (!this.stopped) {
      const seat = this.take();
      if (!seat) return;
      const hold = await this.untilAnswered('hold', buyer, `/api/shows/${this.options.showId}/holds`, { seats: [seat] }, true);
      if (hold?.status !== 201) continue;
      const confirmed = await this.untilAnswered('confirm', buyer, `/api/holds/${hold.body.holdId}/confirm`, undefined, false);
      if (confirmed?.status === 201) this.confirms.push({ memberId: buyer.id, reservationId: confirmed.body.reservationId, seats: [seat] });
    }
  }

  private take(): string | undefined {
    if (this.free.length === 0) return undefined;
    const index = Math.floor(Math.random() * this.free.length);
    return this.free.splice(index, 1)[0];
  }

  /** Sends until the answer is not one of RETRIED; a hold is given up once stopped. */
  private async untilAnswered(op: Answer['op'], buyer: Buyer, path: string, body: unknown, giveUpWhenStopped: boolean) {
    const key = randomUUID();
    const deadline = performance.now() + 60_000;
    while (performance.now() < deadline) {
      const reply = await this.send(op, buyer, path, body, key);
      if (!RETRIED.has(reply.status)) return reply;
      if (giveUpWhenStopped && this.stopped) return undefined;
      const retryAfterMs = Number(reply.retryAfter ?? 1) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs, this.options.maxRetryWaitMs ?? 1000)));
    }
    return undefined;
  }

  private async send(op: Answer['op'], buyer: Buyer, path: string, body: unknown, key: string) {
    const began = performance.now();
    let status = 0;
    let json: any;
    let retryAfter: string | undefined;
    try {
      const response = await fetch(this.options.baseUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${buyer.token}`, 'idempotency-key': key },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after') ?? undefined;
      const text = await response.text();
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // status stays 0: the request itself failed
    }
    const now = performance.now();
    this.answers.push({ op, status, at: now - this.options.startedAt, ms: now - began, retryAfter, code: json?.code });
    return { status, body: json, retryAfter };
  }
}
