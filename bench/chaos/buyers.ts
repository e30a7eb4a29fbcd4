import { randomUUID } from 'node:crypto';
import { waitForAdmission } from './queue-wait.js';

/** One HTTP answer a buyer got: `status` 0 when the request itself failed (connection, 15 s timeout). */
export interface Answer {
  op: 'hold' | 'confirm' | 'join' | 'poll' | 'leave';
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
  /** When the 201 came, ms since the run started. */
  at: number;
}

export interface Buyer {
  id: string;
  token: string;
}

/**
 * A member's admission as the client saw it, ms since the run started: from the answer that said
 * "admitted" to the moment it sent what ends it (a hold about to be confirmed, a leave), or a hold
 * refused for want of a lease. The server's lease covers at least that span, so that the most of
 * these at once can only be below the number of leases at once, never above it.
 */
export interface AdmittedStay {
  memberId: string;
  from: number;
  to: number;
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
  /**
   * The show is queued: `slots` buyers at a time, each a member taken from `buyers` in turn, join the
   * waiting room, wait (long polls), hold with the admission token, confirm, and give the member back.
   */
  queue?: { slots: number };
}

export interface Reply {
  status: number;
  body: any;
  retryAfter?: string;
}

const REQUEST_TIMEOUT_MS = 15_000;
/** Answers that say nothing about the request's fate: the same key is sent again (0: no answer at all;
 * 502 / 504: Nginx lost the host the request went to, before or after it was handled). */
export const RETRIED = new Set([0, 502, 503, 504]);

/**
 * Buyers who each hold one seat and confirm it, again and again, until stopped: a 503 (or a failed
 * request) is retried with the same Idempotency-Key after Retry-After, as a well-behaved client does,
 * so that every confirm ends in a true answer (502 and 504 from Nginx likewise). Seats come from one shared pool, so buyers race.
 * On a queued show each booking goes through the waiting room first.
 */
export class BuyerCrowd {
  readonly answers: Answer[] = [];
  readonly confirms: SeenConfirm[] = [];
  readonly stays: AdmittedStay[] = [];
  private readonly free: string[];
  /** Members not in use by a slot (queued show), the longest idle first. */
  private readonly idle: Buyer[];
  private stopped = false;
  private running: Promise<void>[] = [];

  constructor(private readonly options: BuyersOptions) {
    this.free = [...options.seats];
    this.idle = [...options.buyers];
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    const { queue, buyers } = this.options;
    this.running = queue ? Array.from({ length: queue.slots }, () => this.buyQueued()) : buyers.map((buyer) => this.buy(buyer));
  }

  /** Stops taking new seats; a confirm in flight is retried until it has its true answer. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
  }

  /** ms since the run started. */
  now(): number {
    return performance.now() - this.options.startedAt;
  }

  private async buy(buyer: Buyer): Promise<void> {
    while (!this.stopped) {
      const seat = this.take();
      if (!seat) return;
      await this.holdAndConfirm(buyer, seat);
    }
  }

  private async buyQueued(): Promise<void> {
    while (!this.stopped) {
      const member = this.idle.shift();
      if (!member) return;
      try {
        if (!(await this.bookThroughQueue(member))) return;
      } finally {
        this.idle.push(member);
      }
    }
  }

  /** Waits for admission, then books one seat with it; false when the sale is over. */
  private async bookThroughQueue(member: Buyer): Promise<boolean> {
    const admission = await waitForAdmission(this, member, this.options.showId);
    if (admission === 'closed') return false;
    if (!admission) return true;
    const stay: AdmittedStay = { memberId: member.id, from: admission.at, to: NaN };
    this.stays.push(stay);
    try {
      for (;;) {
        const seat = this.take();
        if (!seat || this.stopped) return seat !== undefined;
        const sentAt = this.now();
        const held = await this.holdAndConfirm(member, seat, admission.token, () => (stay.to = this.now()));
        if (held === 'booked' || held === 'gave up') return true;
        if (held === 'not admitted') {
          // the lease is gone (lost, expired): the admission ended at the latest when the hold was sent
          stay.to = sentAt;
          return true;
        }
      }
    } finally {
      if (Number.isNaN(stay.to)) {
        stay.to = this.now();
        await this.request('leave', member, 'DELETE', `/api/shows/${this.options.showId}/queue`);
      }
    }
  }

  /** A hold then its confirm; `confirming` is called as the confirm is about to go (it ends the admission). */
  private async holdAndConfirm(buyer: Buyer, seat: string, admissionToken?: string, confirming?: () => void) {
    const headers: Record<string, string> = admissionToken ? { 'admission-token': admissionToken } : {};
    const hold = await this.untilAnswered('hold', buyer, `/api/shows/${this.options.showId}/holds`, { seats: [seat] }, true, headers);
    if (!hold) return 'gave up';
    if (hold.status !== 201) return String(hold.body?.code).startsWith('ADMISSION.') ? 'not admitted' : 'seat lost';
    confirming?.();
    const confirmed = await this.untilAnswered('confirm', buyer, `/api/holds/${hold.body.holdId}/confirm`, undefined, false);
    if (confirmed?.status === 201)
      this.confirms.push({ memberId: buyer.id, reservationId: confirmed.body.reservationId, seats: [seat], at: this.now() });
    return 'booked';
  }

  private take(): string | undefined {
    if (this.free.length === 0) return undefined;
    const index = Math.floor(Math.random() * this.free.length);
    return this.free.splice(index, 1)[0];
  }

  /** Sends until the answer is not one of RETRIED; a hold is given up once stopped. */
  private async untilAnswered(
    op: Answer['op'],
    buyer: Buyer,
    path: string,
    body: unknown,
    giveUpWhenStopped: boolean,
    headers: Record<string, string> = {},
  ): Promise<Reply | undefined> {
    const key = randomUUID();
    const deadline = performance.now() + 60_000;
    while (performance.now() < deadline) {
      const reply = await this.request(op, buyer, 'POST', path, { body, headers: { ...headers, 'idempotency-key': key } });
      if (!RETRIED.has(reply.status)) return reply;
      if (giveUpWhenStopped && this.stopped) return undefined;
      await this.pause(reply);
    }
    return undefined;
  }

  /** Waits what Retry-After says (1 s without one), up to maxRetryWaitMs. */
  pause(reply: Reply): Promise<void> {
    const retryAfterMs = Number(reply.retryAfter ?? 1) * 1000;
    return new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs, this.options.maxRetryWaitMs ?? 1000)));
  }

  /** One request as `buyer`; on a queued show from an address of the member's own (per-address join limits). */
  async request(
    op: Answer['op'],
    buyer: Buyer,
    method: string,
    path: string,
    extra: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const began = performance.now();
    let status = 0;
    let json: any;
    let retryAfter: string | undefined;
    try {
      const response = await fetch(this.options.baseUrl + path, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${buyer.token}`,
          ...(this.options.queue ? { 'x-forwarded-for': addressOf(buyer.id) } : {}),
          ...extra.headers,
        },
        body: extra.body === undefined ? undefined : JSON.stringify(extra.body),
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

/** A made-up client address per member (10.x.y.z from its id). */
function addressOf(memberId: string): string {
  let hash = 0;
  for (const char of memberId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `10.${(hash >>> 16) & 255}.${(hash >>> 8) & 255}.${hash & 255}`;
}
