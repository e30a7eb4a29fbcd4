import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Clock } from '../../../src/application/ports/clock.js';
import { ReservationTicketsHandler } from '../../../src/application/tickets/reservation-tickets.handler.js';
import { TOKENS } from '../../../src/application/tokens.js';
import type { Config } from '../../../src/infrastructure/config/config.js';
import type { Knex } from '../../../src/infrastructure/database/knex.js';
import { createMailTransport } from '../../../src/infrastructure/mail/mail-transport.js';
import { OutboxMailSender } from '../../../src/infrastructure/mail/outbox-mail-sender.js';
import { SqlMailOutbox } from '../../../src/infrastructure/mail/sql-mail-outbox.js';
import { ShowQueries } from '../../../src/projections/catalog/show.queries.js';
import { SmtpSink, readMail } from '../../support/smtp-sink-process.js';
import { BookingServer, MODES, showBody, twoSections } from '../booking/booking-server.js';

const quiet = { warn: () => undefined };

for (const { mode, title } of MODES) {
  describe(`e-mail through the outbox to a real SMTP server process (${title})`, function () {
    this.timeout(60_000);
    let sink: SmtpSink;
    let server: BookingServer;
    let admin: { id: string; token: string };
    let showId: string;

    before(async function () {
      sink = await SmtpSink.start();
      server = await BookingServer.start(this, mode, { SMTP_URL: sink.url, MAIL_FROM: 'onsale <tickets@onsale.test>' });
      admin = await server.member({ admin: true });
      const created = await server.request('POST', '/api/shows', {
        token: admin.token,
        body: showBody(twoSections, { title: '겨울 갈라' }),
      });
      showId = created.body.id;
    });

    after(async () => {
      await server?.close();
      sink?.stop();
    });

    const emailOf = async (who: { token: string }) =>
      (await server.request('GET', '/api/members/me', { token: who.token })).body.email as string;

    it('when a booking is confirmed, then the buyer gets a Korean and English mail with each ticket’s code and QR image; cancelled, a second mail', async () => {
      const buyer = await server.member();
      const email = await emailOf(buyer);
      const held = await server.request('POST', `/api/shows/${showId}/holds`, { token: buyer.token, body: { seats: ['A-1-1', 'A-1-2'] } });
      const { reservationId } = (await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: buyer.token })).body;

      const confirmed = await sink.mailTo(email, (m) => m.subject.includes('Booking confirmed'));
      expect(confirmed.subject).to.equal('[onsale] 예매 확정: 겨울 갈라 / Booking confirmed: 겨울 갈라');
      expect(confirmed.raw).to.match(/^From: onsale <tickets@onsale\.test>$/m);
      expect(confirmed.messageId).to.match(/:reservation-confirmed@onsale>$/);
      const tickets = await server.request('GET', `/api/reservations/${reservationId}/tickets`, { token: buyer.token });
      // Ed25519 signatures are deterministic: the mail's codes are the page's codes
      for (const ticket of tickets.body.tickets) expect(confirmed.text).to.contain(`${ticket.seat} / ${ticket.seat}: ${ticket.code}`);
      expect(confirmed.text).to.contain('예매가 확정되었습니다').and.to.contain('Your booking for 겨울 갈라 is confirmed');
      expect(confirmed.html).to.contain('src="cid:ticket-1@onsale"').and.to.contain('src="cid:ticket-2@onsale"');
      expect(confirmed.raw.match(/Content-Type: image\/png/g)).to.have.length(2);

      await server.request('DELETE', `/api/reservations/${reservationId}`, { token: buyer.token });
      const cancelled = await sink.mailTo(email, (m) => m.subject.includes('Booking cancelled'));
      expect(cancelled.text).to.contain('A-1-1, A-1-2').and.to.contain('Its tickets no longer admit');
    });

    it('when a member changes their password, then they are told, and the outbox records every mail as sent once', async () => {
      const member = await server.member();
      const email = await emailOf(member);
      const changed = await server.request('PUT', '/api/members/me/password', {
        token: member.token,
        body: { currentPassword: 'correct horse battery', newPassword: 'an even better horse battery' },
      });
      expect(changed.status).to.equal(204);
      const mail = await sink.mailTo(email, (m) => m.subject.includes('password'));
      expect(mail.subject).to.equal('[onsale] 비밀번호가 바뀌었습니다 / Your password was changed');
      expect(mail.text).not.to.contain('$argon2').and.not.to.contain('passwordHash');

      const outbox = server.running.container.resolve(SqlMailOutbox);
      const end = Date.now() + 5000;
      let rows = await outbox.all();
      while (rows.some((r) => r.sentAt === null) && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        rows = await outbox.all();
      }
      expect(rows.map((r) => r.kind).sort()).to.deep.equal(['password-changed', 'reservation-cancelled', 'reservation-confirmed']);
      expect(rows.every((r) => r.sentAt !== null && r.attempts === 1)).to.equal(true);
      expect(sink.received.filter((m) => m.to.includes(email))).to.have.length(1);
    });

    it('when a member withdraws, then they get a closing mail, and once it is sent the outbox keeps neither their address nor name', async () => {
      const member = await server.member();
      const email = await emailOf(member);
      expect((await server.request('DELETE', '/api/members/me', { token: member.token })).status).to.equal(204);
      const mail = await sink.mailTo(email, (m) => m.subject.includes('account is closed'));
      expect(mail.subject).to.equal('[onsale] 탈퇴가 완료되었습니다 / Your account is closed');
      const knex = server.running.container.resolve<Knex>(TOKENS.Knex);
      const end = Date.now() + 5000;
      let row = await knex('mail_outbox').where({ member_id: member.id, kind: 'account-withdrawn' }).first();
      while (row?.sent_at === null && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        row = await knex('mail_outbox').where({ member_id: member.id, kind: 'account-withdrawn' }).first();
      }
      expect(row.sent_at).to.not.equal(null);
      expect([row.to_email, row.to_name]).to.deep.equal(['', '']);
    });

    it('when the sender stops between sending a mail and recording it, then the mail is sent again (same Message-ID), and then recorded', async () => {
      const knex = server.running.container.resolve<Knex>(TOKENS.Knex);
      // Far in the future, so that the server's own sender leaves it to the one under test.
      const later = Date.now() + 5 * 86_400_000;
      await knex('mail_outbox').insert({
        id: 'crash-test:password-changed',
        kind: 'password-changed',
        member_id: 'm-crash',
        to_email: 'crash@onsale.test',
        to_name: 'Crash',
        data: '{}',
        created_at: later,
        due_at: later,
        attempts: 0,
      });
      const outbox = new SqlMailOutbox(knex);
      let crashes = 1;
      const crashing = {
        claim: outbox.claim.bind(outbox),
        failed: outbox.failed.bind(outbox),
        markSent: async (id: string, now: number) => {
          if (crashes-- > 0) throw new Error('the process died here');
          await outbox.markSent(id, now);
        },
      };
      const clock: Clock = { now: () => new Date(later + 1000) };
      const config = server.running.container.resolve<Config>(TOKENS.Config);
      const make = (leaseMs: number) =>
        new OutboxMailSender(
          crashing,
          createMailTransport(sink.url, config.DATA_DIR),
          server.running.container.resolve(ShowQueries),
          server.running.container.resolve(ReservationTicketsHandler),
          clock,
          quiet,
          { from: 'onsale <tickets@onsale.test>', leaseMs },
        );
      await make(0)
        .runOnce()
        .then(
          () => expect.fail('the first round should have died'),
          (error: Error) => expect(error.message).to.equal('the process died here'),
        );
      expect(await make(0).runOnce()).to.equal(1);
      const copies = await sink.mailsTo((to) => to === 'crash@onsale.test', 2);
      expect(copies).to.have.length(2);
      expect(copies[0]!.messageId).to.equal(copies[1]!.messageId).and.to.equal('<crash-test:password-changed@onsale>');
      const row = (await outbox.all()).find((r) => r.id === 'crash-test:password-changed')!;
      expect(row.sentAt).to.be.a('number');
      expect(row.attempts).to.equal(2);
    });

    it('when more mails are due than a batch holds and the machine is busy, then a round sends one batch; idle, it sends them all, and two senders never send one twice', async () => {
      const knex = server.running.container.resolve<Knex>(TOKENS.Knex);
      // later than the crash test's, so that the server's own sender (real time) leaves them alone
      const later = Date.now() + 10 * 86_400_000;
      const ids = Array.from({ length: 130 }, (_, i) => `burst-${String(i).padStart(3, '0')}:password-changed`);
      await knex('mail_outbox').insert(
        ids.map((id, i) => ({
          id,
          kind: 'password-changed',
          member_id: `m-burst-${i}`,
          to_email: `burst-${i}@onsale.test`,
          to_name: 'Burst',
          data: '{}',
          created_at: later,
          due_at: later,
          attempts: 0,
        })),
      );
      const config = server.running.container.resolve<Config>(TOKENS.Config);
      // an idle share above 1 is never reached: "busy"; 0 is always: "idle"
      const sender = (minIdleShare: number) =>
        new OutboxMailSender(
          new SqlMailOutbox(knex),
          createMailTransport(sink.url, config.DATA_DIR),
          server.running.container.resolve(ShowQueries),
          server.running.container.resolve(ReservationTicketsHandler),
          { now: () => new Date(later + 1000) },
          quiet,
          { from: 'onsale <tickets@onsale.test>', batch: 20, minIdleShare },
        );
      expect(await sender(2).runOnce()).to.equal(20);
      const rounds = await Promise.all([sender(0).runOnce(), sender(0).runOnce()]);
      expect(rounds[0]! + rounds[1]!).to.equal(110);
      const received = (await sink.mailsTo((to) => to.startsWith('burst-'), 130)).map((m) => m.messageId);
      expect(received).to.have.length(130);
      expect(new Set(received).size).to.equal(130);
      const rows = (await new SqlMailOutbox(knex).all()).filter((r) => r.id.startsWith('burst-'));
      expect(rows.every((r) => r.sentAt !== null && r.attempts === 1)).to.equal(true);
    });
  });
}

describe('e-mail with no SMTP_URL (embedded): .eml files under DATA_DIR/mail', function () {
  this.timeout(60_000);
  let server: BookingServer;

  before(async function () {
    server = await BookingServer.start(this, 'embedded');
  });
  after(async () => server?.close());

  it('when a member changes their password, then the mail is written as an .eml file', async () => {
    const member = await server.member();
    await server.request('PUT', '/api/members/me/password', {
      token: member.token,
      body: { currentPassword: 'correct horse battery', newPassword: 'an even better horse battery' },
    });
    const dir = path.join(server.running.container.resolve<Config>(TOKENS.Config).DATA_DIR, 'mail');
    const end = Date.now() + 10_000;
    let files: string[] = [];
    while (files.length === 0 && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
      } catch {
        files = [];
      }
    }
    expect(files).to.have.length(1);
    const mail = readMail({ raw: readFileSync(path.join(dir, files[0]!), 'utf8') });
    expect(mail.subject).to.equal('[onsale] 비밀번호가 바뀌었습니다 / Your password was changed');
    expect(mail.text).to.contain('If this was not you');
  });
});
