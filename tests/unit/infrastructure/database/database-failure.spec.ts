import { expect } from 'chai';
import { DomainError } from '../../../../src/domain/shared/domain-error.js';
import { classifyDatabaseFailure, DatabaseFailure } from '../../../../src/infrastructure/database/database-failure.js';
import { createLogger } from '../../../../src/infrastructure/logging/logger.js';
import { problemMiddleware } from '../../../../src/infrastructure/http/problem.middleware.js';
import { isTransientError } from '../../../../src/infrastructure/projections/engine/transient-error.js';

/** Errors shaped as mysql2 and knex throw them. */
const mysqlError = (code: string, errno?: number, message = code) => Object.assign(new Error(message), { code, errno });

describe('database failures: one classification', () => {
  const cases: [string, unknown, string | undefined][] = [
    ['a refused connection', mysqlError('ECONNREFUSED'), 'down'],
    ['a connection lost mid-query', mysqlError('PROTOCOL_CONNECTION_LOST'), 'down'],
    ['a closed connection', new Error("Can't add new command when connection is in closed state"), 'down'],
    ['a server shutting down', mysqlError('ER_SERVER_SHUTDOWN', 1053), 'down'],
    ['a connect timeout', mysqlError('ETIMEDOUT'), 'stalled'],
    ['a statement timeout (client)', mysqlError('PROTOCOL_SEQUENCE_TIMEOUT'), 'stalled'],
    ['a statement timeout (MariaDB max_statement_time)', mysqlError('ER_STATEMENT_TIMEOUT', 1969), 'stalled'],
    [
      'no free connection in time (knex)',
      Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' }),
      'stalled',
    ],
    ['--read-only', mysqlError('ER_OPTION_PREVENTS_STATEMENT', 1290), 'read_only'],
    ['read_only', mysqlError('ER_READ_ONLY_MODE', 1836), 'read_only'],
    ['too many connections', mysqlError('ER_CON_COUNT_ERROR', 1040, 'Too many connections'), 'too_many_connections'],
    ['a lock wait timeout', mysqlError('ER_LOCK_WAIT_TIMEOUT', 1205), 'contention'],
    ['a deadlock', mysqlError('ER_LOCK_DEADLOCK', 1213), 'contention'],
    [
      'a Galera node outside the primary component',
      mysqlError('ER_UNKNOWN_COM_ERROR', 1047, 'WSREP has not yet prepared node for application use'),
      'not_ready',
    ],
    ['one wrapped as a cause', new Error('append failed', { cause: mysqlError('ECONNRESET') }), 'down'],
    ['an unknown commit', new DatabaseFailure('outcome_unknown', 'could not confirm'), 'outcome_unknown'],
    ['a syntax error (a bug)', mysqlError('ER_PARSE_ERROR', 1064), undefined],
    ['a duplicate key (a bug, or handled where it happens)', mysqlError('ER_DUP_ENTRY', 1062), undefined],
    ['an error of our own', new Error('boom'), undefined],
  ];
  for (const [what, error, kind] of cases) {
    it(`when ${what}, then it is ${kind ?? 'no database fault'}`, () => {
      expect(classifyDatabaseFailure(error)).to.equal(kind);
      expect(isTransientError(error)).to.equal(kind !== undefined);
    });
  }

  it('when a request meets a database fault, then it answers 503 STORE.UNAVAILABLE with Retry-After, and an unknown error still 500', async () => {
    const answer = async (error: unknown) => {
      const headers: Record<string, string> = {};
      const ctx = { method: 'POST', path: '/x', set: (name: string, value: string) => (headers[name] = value) } as Record<string, unknown>;
      await problemMiddleware(createLogger('silent'))(ctx as never, async () => {
        throw error;
      });
      return { status: ctx.status, body: ctx.body as Record<string, unknown>, headers };
    };
    const readOnly = await answer(mysqlError('ER_READ_ONLY_MODE', 1836));
    expect(readOnly).to.deep.include({ status: 503, headers: { 'Retry-After': '5' } });
    expect(readOnly.body).to.include({ code: 'STORE.UNAVAILABLE', reason: 'read_only' });
    expect((await answer(mysqlError('ECONNREFUSED'))).headers['Retry-After']).to.equal('2');
    expect((await answer(new Error('boom'))).status).to.equal(500);
    expect((await answer(new DomainError('unavailable', 'BOOKING.BUSY', 'busy', undefined, 1))).body.code).to.equal('BOOKING.BUSY');
  });
});
