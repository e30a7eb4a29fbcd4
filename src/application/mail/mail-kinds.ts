/** The mails onsale sends, each from one event. */
export type MailKind = 'reservation-confirmed' | 'reservation-cancelled' | 'password-changed' | 'account-withdrawn' | 'waitlist-offer';

/** A mail waiting in the outbox: who gets it and the event's facts it is written from. */
export interface OutboxMail {
  id: string;
  kind: MailKind;
  memberId: string;
  toEmail: string;
  toName: string;
  data: Record<string, unknown>;
  attempts: number;
}

/** Read models name their projection; this one writes the outbox. */
export const MAIL_OUTBOX_PROJECTION = 'mail-outbox';
