import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';

/** Sends one rendered mail (nodemailer's message object). */
export interface MailTransport {
  send(message: Mail.Options): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer (a pool of up to 4 connections) when `smtpUrl` is set
 * (`smtp://user:pass@host:587`, `smtps://…`); otherwise each mail is written as an `.eml` file
 * under `<dataDir>/mail/` (the embedded default, so `npm start` needs no mail server).
 */
export function createMailTransport(smtpUrl: string | undefined, dataDir: string): MailTransport {
  if (smtpUrl) {
    // pooled: the sender's concurrent mails reuse a few open connections (the URL's ?pool=false turns it off)
    const smtp = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 4 });
    return {
      send: async (message) => void (await smtp.sendMail(message)),
      close: () => smtp.close(),
    };
  }
  const dir = path.join(dataDir, 'mail');
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const { message: raw } = (await files.sendMail(message)) as unknown as { message: Buffer };
      mkdirSync(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(message.messageId ?? 'mail').replace(/[^A-Za-z0-9@.-]/g, '')}.eml`;
      writeFileSync(path.join(dir, name), raw);
    },
    close: () => files.close(),
  };
}
