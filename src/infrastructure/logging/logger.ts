import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; secrets are redacted wherever they appear in a logged object. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'currentPassword',
        'newPassword',
        '*.newPassword',
        'req.headers.authorization',
        'req.headers["admission-token"]',
      ],
      censor: '[redacted]',
    },
  });
}
