import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-context.js';

export type { Logger };

/**
 * Structured JSON logs; secrets are redacted wherever they appear in a logged object. A line
 * written while a request's work runs carries its `requestId` (from the request's async context,
 * so that the handlers' and adapters' own loggers need no per-request child).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
    redact: {
      paths: [
        // Two levels deep: a request body inside a logged object is covered too.
        ...['password', 'currentPassword', 'newPassword', 'passwordHash', 'accessToken', 'ADMIN_PASSWORD'].flatMap((key) => [
          key,
          `*.${key}`,
          `*.*.${key}`,
        ]),
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
