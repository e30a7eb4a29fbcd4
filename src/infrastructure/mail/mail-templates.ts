import type { OutboxMail } from '../../application/mail/mail-kinds.js';

export interface MailContext {
  show?: { title: string; venue: string; startsAt: string };
  tickets?: Array<{ seat: string; code: string; cid: string }>;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// one formatter a locale, made once: making one costs about 40 times a format() with it
const format = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: 'Asia/Seoul' });
const FORMATS = { 'ko-KR': format('ko-KR'), 'en-GB': format('en-GB') };
const when = (iso: string, locale: keyof typeof FORMATS) => FORMATS[locale].format(new Date(iso));
const seatName = (seat: string, ko: boolean) => (seat === 'GA' ? (ko ? '자유석' : 'General admission') : seat);

interface Parts {
  subject: [ko: string, en: string];
  /** Paragraphs in each language (plain text; escaped for HTML). */
  ko: string[];
  en: string[];
}

/** Korean first, then English: members have no language on record, and a mail must reach them either way. */
function bilingual(mail: OutboxMail, parts: Parts, ticketsHtml = '', ticketsText = ''): RenderedMail {
  const para = (lines: string[]) => lines.map((line) => `<p>${escape(line)}</p>`).join('');
  return {
    subject: `[onsale] ${parts.subject[0]} / ${parts.subject[1]}`,
    text: [`${mail.toName}님,`, ...parts.ko, ticketsText, '—', `Dear ${mail.toName},`, ...parts.en].filter(Boolean).join('\n\n') + '\n',
    html:
      `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">` +
      `<div lang="ko"><p>${escape(mail.toName)}님,</p>${para(parts.ko)}</div>${ticketsHtml}<hr>` +
      `<div lang="en"><p>Dear ${escape(mail.toName)},</p>${para(parts.en)}</div></body></html>`,
  };
}

/** The mail for an outbox row, from the event's facts and what the sender looked up (show, tickets). */
export function renderMail(mail: OutboxMail, context: MailContext): RenderedMail {
  const d = mail.data as { reservationId?: string; seats?: string[]; quantity?: number };
  const title = context.show?.title ?? '';
  const seats = d.seats?.length ? d.seats.join(', ') : `${d.quantity ?? ''}`;
  const show = context.show;
  switch (mail.kind) {
    case 'reservation-confirmed': {
      const tickets = context.tickets ?? [];
      const ticketsText = tickets.map((t) => `${seatName(t.seat, true)} / ${seatName(t.seat, false)}: ${t.code}`).join('\n');
      const ticketsHtml = tickets
        .map(
          (t) =>
            `<div style="display:inline-block;margin:8px;text-align:center"><img src="cid:${t.cid}" width="220" height="220" ` +
            `alt="${escape(seatName(t.seat, false))}"><br><strong>${escape(seatName(t.seat, true))}</strong></div>`,
        )
        .join('');
      return bilingual(
        mail,
        {
          subject: [`예매 확정: ${title}`, `Booking confirmed: ${title}`],
          ko: [
            `${title} 예매가 확정되었습니다.`,
            show ? `${when(show.startsAt, 'ko-KR')}, ${show.venue}` : '',
            `좌석: ${seats}`,
            '입장할 때 아래 티켓의 QR 코드를 보여 주세요. 내 예매 페이지에서도 볼 수 있습니다.',
          ].filter(Boolean),
          en: [
            `Your booking for ${title} is confirmed.`,
            show ? `${when(show.startsAt, 'en-GB')}, ${show.venue}` : '',
            `Seats: ${seats}`,
            'Show the QR code of each ticket at the door; they are on your “My tickets” page too.',
          ].filter(Boolean),
        },
        ticketsHtml,
        ticketsText,
      );
    }
    case 'reservation-cancelled':
      return bilingual(mail, {
        subject: [`예매 취소: ${title}`, `Booking cancelled: ${title}`],
        ko: [`${title} 예매(좌석: ${seats})가 취소되었습니다. 이 예매의 티켓으로는 더 이상 입장할 수 없습니다.`],
        en: [`Your booking for ${title} (seats: ${seats}) is cancelled. Its tickets no longer admit.`],
      });
    case 'waitlist-offer': {
      const deadline = (mail.data as { expiresAt: string }).expiresAt;
      return bilingual(mail, {
        subject: [`대기 순번이 되었습니다: ${title}`, `Your turn on the waiting list: ${title}`],
        ko: [
          `${title} 대기자 명단에서 회원님 차례가 되어 좌석을 회원님 이름으로 잡아 두었습니다.`,
          show ? `${when(show.startsAt, 'ko-KR')}, ${show.venue}` : '',
          `좌석: ${seats}`,
          `${when(deadline, 'ko-KR')}까지 onsale의 공연 페이지에서 예매를 확정하거나 거절해 주세요. 그때까지 확정하지 않으면 다음 대기자에게 넘어갑니다.`,
        ].filter(Boolean),
        en: [
          `It is your turn on the waiting list for ${title}: seats are held in your name.`,
          show ? `${when(show.startsAt, 'en-GB')}, ${show.venue}` : '',
          `Seats: ${seats}`,
          `Confirm or decline them on the show's page in onsale by ${when(deadline, 'en-GB')} (Seoul time); after that they go to the next member on the list.`,
        ].filter(Boolean),
      });
    }
    case 'password-changed':
      return bilingual(mail, {
        subject: ['비밀번호가 바뀌었습니다', 'Your password was changed'],
        ko: ['계정의 비밀번호가 바뀌었고, 다른 기기의 로그인은 끝났습니다. 직접 바꾸지 않았다면 바로 비밀번호를 재설정해 주세요.'],
        en: ['Your password was changed and you were logged out elsewhere. If this was not you, reset your password now.'],
      });
    case 'account-withdrawn':
      return bilingual(mail, {
        subject: ['탈퇴가 완료되었습니다', 'Your account is closed'],
        ko: ['onsale 탈퇴가 완료되었습니다. 이름과 이메일 주소는 지워졌고, 이 메일을 보낸 뒤 저희에게 남지 않습니다.'],
        en: ['Your onsale account is closed. Your name and address are erased; once this mail is sent we keep neither.'],
      });
    default: {
      const never: never = mail.kind;
      throw new Error(`Unknown mail kind ${JSON.stringify(never)}`);
    }
  }
}
