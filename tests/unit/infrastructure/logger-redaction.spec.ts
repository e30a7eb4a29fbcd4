import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('trace', stream), text: () => lines.join('') };
}

describe('log redaction', () => {
  it('when passwords, hashes and tokens are logged at any of the first three levels, then none of them is written', () => {
    const { logger, text } = capture();
    logger.info({ password: 'secret-a1', currentPassword: 'secret-a2', newPassword: 'secret-a3', passwordHash: 'secret-a4' }, 'top');
    logger.info(
      { body: { password: 'secret-b1', currentPassword: 'secret-b2', newPassword: 'secret-b3', accessToken: 'secret-b4' } },
      'one',
    );
    logger.warn({ req: { body: { password: 'secret-c1', currentPassword: 'secret-c2' } } }, 'two');
    logger.error({ req: { headers: { authorization: 'Bearer secret-d1' } } }, 'header');
    expect(text()).to.include('[redacted]');
    expect(text()).not.to.match(/secret-/);
  });

  it('when a Redis error carries its AUTH command, then the arguments (the password) are not written', () => {
    const { logger, text } = capture();
    const error = Object.assign(new Error('WRONGPASS invalid username-password pair'), {
      command: { name: 'auth', args: ['app', 'secret-e1'] },
    });
    logger.warn({ err: error }, 'redis error');
    expect(text()).to.include('WRONGPASS').and.include('"name":"auth"');
    expect(text()).not.to.match(/secret-/);
  });

  it('when other fields are logged, then they are kept', () => {
    const { logger, text } = capture();
    logger.info({ body: { email: 'ada@example.org', name: 'Ada' } }, 'kept');
    expect(text()).to.include('ada@example.org');
  });
});
