import { Writable } from 'node:stream';
import { expect } from 'chai';
import Koa from 'koa';
import { requestId, requestIdOf } from '../../../src/infrastructure/http/request-id.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { currentRequestId, runInRequest } from '../../../src/infrastructure/logging/request-context.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('request context', () => {
  it('when work of two requests interleaves across awaits and timers, then each log line names its own request', async () => {
    const { logger, lines } = capture();
    const work = (id: string, delay: number) =>
      runInRequest({ requestId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        logger.info({ step: 1 }, id);
        await new Promise((resolve) => setImmediate(resolve));
        logger.child({ part: 'adapter' }).info(id);
      });
    await Promise.all([work('request-a-0001', 5), work('request-b-0002', 1)]);
    logger.info('outside');
    expect(lines.filter((line) => line.msg !== 'outside').map((line) => [line.msg, line.requestId])).to.have.deep.members([
      ['request-a-0001', 'request-a-0001'],
      ['request-a-0001', 'request-a-0001'],
      ['request-b-0002', 'request-b-0002'],
      ['request-b-0002', 'request-b-0002'],
    ]);
    expect(lines.find((line) => line.msg === 'outside')).not.to.have.property('requestId');
    expect(currentRequestId()).to.equal(undefined);
  });

  it('when a timer a request started fires after its response, then its lines carry no request id', async () => {
    const { logger, lines } = capture();
    const context = { requestId: 'request-ended-0001', ended: false };
    let fired!: Promise<void>;
    runInRequest(context, () => {
      logger.info('during');
      fired = new Promise((resolve) => setTimeout(() => resolve(logger.info('after')), 5));
    });
    context.ended = true; // as the middleware does when the response closes
    await fired;
    expect(lines.map((line) => [line.msg, line.requestId])).to.deep.equal([
      ['during', 'request-ended-0001'],
      ['after', undefined],
    ]);
  });

  it('when served over HTTP, then the id is current during the request and while its stream is open, and not after the answer or once the client left', async () => {
    const seen: Record<string, (string | undefined)[]> = { answered: [], streamed: [] };
    let streamGone!: () => void;
    const gone = new Promise<void>((resolve) => (streamGone = resolve));
    const app = new Koa();
    app.use(requestId);
    app.use(async (ctx) => {
      const log = seen[ctx.path.slice(1)]!;
      log.push(currentRequestId());
      const later = () => setTimeout(() => log.push(currentRequestId()), 20);
      if (ctx.path === '/answered') {
        later();
        ctx.body = 'ok';
        return;
      }
      ctx.respond = false;
      ctx.res.writeHead(200, { 'content-type': 'text/plain' });
      ctx.res.write('open\n');
      setTimeout(() => log.push(currentRequestId()), 5); // still open
      ctx.res.once('close', () => setTimeout(() => (log.push(currentRequestId()), streamGone()), 5));
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      await (await fetch(`${base}/answered`, { headers: { 'x-request-id': 'answered-request-1' } })).text();
      await new Promise((resolve) => setTimeout(resolve, 40));
      const stream = new AbortController();
      const open = await fetch(`${base}/streamed`, { headers: { 'x-request-id': 'streamed-request-1' }, signal: stream.signal });
      await open.body!.getReader().read();
      await new Promise((resolve) => setTimeout(resolve, 20));
      stream.abort();
      await gone;
    } finally {
      server.close();
    }
    expect(seen).to.deep.equal({
      answered: ['answered-request-1', undefined],
      streamed: ['streamed-request-1', 'streamed-request-1', undefined],
    });
  });

  it('when an incoming id is well-formed, then it is kept; else a UUID replaces it', () => {
    expect(requestIdOf('0123456789abcdef0123456789abcdef')).to.equal('0123456789abcdef0123456789abcdef');
    expect(requestIdOf('6f1c8a52-3a0e-4d5b-9a61-4f2f0c1b7e11')).to.equal('6f1c8a52-3a0e-4d5b-9a61-4f2f0c1b7e11');
    for (const bad of [undefined, '', 'short', 'a b c d e f g h', 'line\nbreak-0000', '-leading-dash', 'x'.repeat(129), ['a', 'b']]) {
      expect(requestIdOf(bad as string | undefined), String(bad)).to.match(/^[0-9a-f-]{36}$/);
    }
  });
});
