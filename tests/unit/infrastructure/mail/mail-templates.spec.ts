import { expect } from 'chai';
import type { OutboxMail } from '../../../../src/application/mail/mail-kinds.js';
import { renderMail } from '../../../../src/infrastructure/mail/mail-templates.js';

const seoul = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: 'Asia/Seoul' }).format(new Date(iso));

describe('mail templates', () => {
  it('when a booking is confirmed, then the mail gives the show’s start in Seoul time, in Korean and in English, mail after mail', () => {
    const mail = {
      id: 'm1',
      kind: 'reservation-confirmed',
      memberId: 'member-1',
      toEmail: 'ada@example.com',
      toName: 'Ada',
      data: { showId: 'show-1', reservationId: 'show-1.r1', seats: ['A-1-1'] },
      attempts: 1,
    } as unknown as OutboxMail;
    for (const startsAt of ['2030-05-01T10:30:00.000Z', '2030-12-31T23:00:00.000Z']) {
      const { text, html } = renderMail(mail, { show: { title: 'Hamlet', venue: 'Hall', startsAt }, tickets: [] });
      for (const line of [`${seoul(startsAt, 'ko-KR')}, Hall`, `${seoul(startsAt, 'en-GB')}, Hall`]) {
        expect(text).to.include(line);
        expect(html).to.include(line);
      }
    }
  });
});
