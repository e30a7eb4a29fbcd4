import type { OutboxMail } from '../../application/mail/mail-kinds.js';
import type { Clock } from '../../application/ports/clock.js';
import type { ReservationTicketsHandler } from '../../application/tickets/reservation-tickets.handler.js';
import type { ShowQueries } from '../../projections/catalog/show.queries.js';
import type { Service } from '../lifecycle.js';
import { cpuTimes, idleShareSince } from '../machine-idle.js';
import { MailPacer } from './mail-pacer.js';
import { qrPng } from '../tickets/qr-png.js';
import { renderMail, type MailContext } from './mail-templates.js';
import type { MailTransport } from './mail-transport.js';
import type { SqlMailOutbox } from './sql-mail-outbox.js';

type Logger = { warn(details: object, message: string): void };

export interface OutboxMailSenderOptions {
  from: string;
  intervalMs?: number;
  /** How long a claimed mail is this sender's before another may take it (a crashed sender's mail comes back after it). */
  leaseMs?: number;
  /** Mails claimed at once (default 20). */
  batch?: number;
  /**
   * Another batch follows in the same round only while at least this share of the machine's CPU
   * was idle during the last (default 0.25): a sale's requests come first, and the backlog goes
   * out as soon as they leave room; below it a round starts only every `busyIntervalMs` (MailPacer).
   */
  minIdleShare?: number;
  /** While the machine is busy and the last batch came back full, one round (one batch) at most this often (default 10 s). */
  busyIntervalMs?: number;
  /** Mails rendered and sent at the same time (default 4: SMTP connections of the pool). */
  concurrency?: number;
}

/**
 * Sends the outbox's mails: claim a batch, render (the show, fresh ticket codes and their QR
 * images), send a few at a time, mark each sent; once a second, and batch after batch while the
 * machine has CPU to spare (`minIdleShare`; while it has not and mails pile up, one batch every `busyIntervalMs`),
 * so that a sale's booking requests come first and its confirmations follow as fast as the room
 * they leave allows. A mail whose sending failed is
 * tried again later (1 min, doubling to 1 h); a process that stops between sending and marking
 * leaves it to be sent again after the lease: at least once. The Message-ID is the outbox row's, so a repeat is recognisably the same mail.
 */
export class OutboxMailSender implements Service {
  readonly name = 'mail sender';
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopping = false;
  /** The last round ended with a full batch: more mails may be due. */
  private backlog = false;

  constructor(
    private readonly outbox: Pick<SqlMailOutbox, 'claim' | 'markSent' | 'failed'>,
    private readonly transport: MailTransport,
    private readonly shows: Pick<ShowQueries, 'get'>,
    private readonly tickets: Pick<ReservationTicketsHandler, 'handle'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: OutboxMailSenderOptions,
  ) {}

  start(): void {
    const pacer = new MailPacer(this.options);
    this.timer = setInterval(() => {
      if (this.pass || !pacer.roundDue(this.backlog)) return;
      this.pass = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not read the mail outbox; trying again'))
        .finally(() => (this.pass = undefined));
    }, this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.pass;
    this.transport.close();
  }

  /**
   * One round: batches claimed and settled (sent or put back) until one comes back short or the
   * machine has no CPU to spare; how many were sent.
   */
  async runOnce(): Promise<number> {
    const batch = this.options.batch ?? 20;
    let sent = 0;
    for (;;) {
      const before = cpuTimes();
      const now = this.clock.now().getTime();
      const mails = await this.outbox.claim(now, this.options.leaseMs ?? 60_000, batch);
      let next = 0;
      const lane = async () => {
        while (next < mails.length) if (await this.settle(mails[next++]!, now)) sent++;
      };
      await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, mails.length) }, lane));
      // every claimed mail is now sent or due later, so a full batch means more may be due
      this.backlog = mails.length === batch;
      if (mails.length < batch || this.stopping) return sent;
      if (idleShareSince(before) < (this.options.minIdleShare ?? 0.25)) return sent;
    }
  }

  /** Sends one claimed mail and records it; a failure puts it back for later (1 min, doubling to 1 h). */
  private async settle(mail: OutboxMail, now: number): Promise<boolean> {
    try {
      await this.send(mail);
    } catch (error) {
      const backoff = Math.min(3600_000, 60_000 * 2 ** Math.min(6, mail.attempts - 1));
      await this.outbox.failed(mail.id, now + backoff, String((error as Error)?.message ?? error));
      this.logger.warn({ err: error, mail: mail.id }, 'a mail could not be sent; it is tried again later');
      return false;
    }
    await this.outbox.markSent(mail.id, this.clock.now().getTime());
    return true;
  }

  private async send(mail: OutboxMail): Promise<void> {
    const { context, attachments } = await this.contextOf(mail);
    const rendered = renderMail(mail, context);
    await this.transport.send({
      from: this.options.from,
      to: { name: mail.toName, address: mail.toEmail },
      messageId: `<${mail.id.replace(/[^A-Za-z0-9.:-]/g, '')}@onsale>`,
      ...rendered,
      attachments,
    });
  }

  private async contextOf(mail: OutboxMail) {
    const data = mail.data as { showId?: string; reservationId?: string };
    const context: MailContext = {};
    const attachments: Array<{ filename: string; content: Buffer; cid: string; contentType: string }> = [];
    const show = data.showId ? await this.shows.get(data.showId) : undefined;
    if (show) context.show = { title: show.title, venue: show.venue, startsAt: show.startsAt };
    if (mail.kind === 'reservation-confirmed' && data.reservationId) {
      const found = await this.tickets.handle({ reservationId: data.reservationId, memberId: mail.memberId });
      context.tickets = [];
      for (const [i, ticket] of found.tickets.entries()) {
        if (!ticket.code) continue;
        const cid = `ticket-${i + 1}@onsale`;
        const png = qrPng(ticket.code);
        attachments.push({ filename: `ticket-${i + 1}.png`, content: png, cid, contentType: 'image/png' });
        context.tickets.push({ seat: ticket.seat, code: ticket.code, cid });
      }
    }
    return { context, attachments };
  }
}
