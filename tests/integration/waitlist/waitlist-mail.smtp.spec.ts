import { expect } from 'chai';
import { SmtpSink } from '../../support/smtp-sink-process.js';
import { BookingServer, showBody } from '../booking/booking-server.js';

describe('the waiting-list offer mail, through the outbox to a real SMTP server process (MariaDB + Redis)', function () {
  this.timeout(60_000);
  let sink: SmtpSink;
  let server: BookingServer;

  before(async function () {
    sink = await SmtpSink.start();
    server = await BookingServer.start(this, 'mariadb', { SMTP_URL: sink.url, MAIL_FROM: 'onsale <tickets@onsale.test>' });
  });

  after(async () => {
    await server?.close();
    sink?.stop();
  });

  it('when returned seats are offered to a member, then they get a Korean and English mail with the seats and the deadline, in text and HTML', async () => {
    const [admin, buyer, waiting] = [await server.member({ admin: true }), await server.member(), await server.member()];
    const seating = { sections: [{ id: 'A', name: 'Stalls', rows: 1, seatsPerRow: 2, price: 5000 }] };
    const created = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(seating, { title: '겨울 <갈라>' }) });
    const showId = created.body.id as string;
    const held = await server.request('POST', `/api/shows/${showId}/holds`, { token: buyer.token, body: { seats: ['A-1-1', 'A-1-2'] } });
    const { reservationId } = (await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: buyer.token })).body;
    expect(
      (await server.request('POST', `/api/shows/${showId}/waitlist`, { token: waiting.token, body: { quantity: 2 } })).status,
    ).to.equal(201);
    await server.request('DELETE', `/api/reservations/${reservationId}`, { token: buyer.token });

    const email = (await server.request('GET', '/api/members/me', { token: waiting.token })).body.email as string;
    const mail = await sink.mailTo(email, (m) => m.subject.includes('waiting list'));
    expect(mail.subject).to.equal('[onsale] 대기 순번이 되었습니다: 겨울 <갈라> / Your turn on the waiting list: 겨울 <갈라>');
    expect(mail.messageId).to.match(/:waitlist-offer@onsale>$/);
    expect(mail.text).to.contain('좌석: A-1-1, A-1-2').and.to.contain('Seats: A-1-1, A-1-2');
    expect(mail.text).to.contain('다음 대기자에게 넘어갑니다').and.to.contain('they go to the next member on the list');
    expect(mail.html).to.contain('겨울 &lt;갈라&gt;').and.to.contain('lang="ko"').and.to.contain('lang="en"');
  });
});
