import { expect } from 'chai';
import Koa from 'koa';
import type { IncomingMessage } from 'node:http';
import { clientIp } from '../../../src/infrastructure/http/client-ip.js';

/** A request as Node hands it over: headers and the socket's peer. */
const request = (forwardedFor?: string) =>
  ({
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    socket: { remoteAddress: '10.0.0.9' },
  }) as IncomingMessage;

/** What Koa's ctx.ip says for the same request, with the app set up as createApp sets it. */
function koaIp(incoming: IncomingMessage, hops: number): string {
  const app = new Koa({ proxy: hops > 0, maxIpsCount: hops });
  return app.createContext(incoming, {} as never).ip;
}

describe('the client address outside Koa', () => {
  it('when X-Forwarded-For is trusted or not, then it is the address Koa gives', () => {
    for (const hops of [0, 1, 2]) {
      for (const header of [undefined, '', '203.0.113.7', '198.51.100.1, 203.0.113.7', ' 198.51.100.1 ,203.0.113.7 , 192.0.2.4']) {
        expect(clientIp(request(header), hops), `${hops} ${header}`).to.equal(koaIp(request(header), hops));
      }
    }
    expect(clientIp(request('198.51.100.1, 203.0.113.7'), 1)).to.equal('203.0.113.7');
    expect(clientIp(request('198.51.100.1, 203.0.113.7'), 0)).to.equal('10.0.0.9');
  });
});
