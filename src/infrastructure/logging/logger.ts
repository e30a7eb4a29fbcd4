import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; secrets are redacted wherever they appear in a logged object. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        // Two levels deep: a request body inside a logged object is covered too.
        ...['password', 'currentPassword', 'newPassword', 'passwordHash', 'accessToken'].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
        'req.headers.authorization',
        // ioredis puts the failed command on its errors: AUTH and HELLO carry the password
        'err.command.args',
        '*.err.command.args',
        'req.headers["admission-token"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
