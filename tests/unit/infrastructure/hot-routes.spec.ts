import { expect } from 'chai';
import type { RequestListener } from 'node:http';
import type { Authenticator } from '../../../src/application/ports/authenticator.js';
import { hotRoutesFirst } from '../../../src/infrastructure/http/hot-routes.js';
import { route } from '../../../src/infrastructure/http/route.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';

const authenticator: Authenticator = { authenticate: async () => ({ memberId: 'm', roles: [] }) };
const koa: RequestListener = () => undefined;
const get = (path: string, hot = false, method: 'get' | 'post' = 'get') =>
  route({ method, path, summary: path, tag: 't', access: 'public', responses: {}, hot, handle: async () => ({ status: 204 }) });
const post = (path: string, hot = false) => get(path, hot, 'post');

describe('hot routes', () => {
  it('when no route is hot, then every request goes to Koa as it did', () => {
    expect(hotRoutesFirst({ logger: createLogger('silent'), authenticator, routes: [get('/a/:id')] }, koa)).to.equal(koa);
  });

  it('when a hot route would take the requests of another GET route, then it is refused at start', () => {
    const routes = [get('/api/shows/mine/queue'), get('/api/shows/:id/queue', true), get('/api/shows/:id/queue/events')];
    expect(() => hotRoutesFirst({ logger: createLogger('silent'), authenticator, routes }, koa)).to.throw(/\/api\/shows\/mine\/queue/);
    expect(hotRoutesFirst({ logger: createLogger('silent'), authenticator, routes: routes.slice(1) }, koa)).to.not.equal(koa);
  });

  it('when a hot POST route would take the requests of another POST route, then it is refused at start; a GET of its path is not in its way', () => {
    const routes = [post('/api/holds/all/confirm'), post('/api/holds/:id/confirm', true), get('/api/holds/:id/confirm')];
    expect(() => hotRoutesFirst({ logger: createLogger('silent'), authenticator, routes }, koa)).to.throw(/\/api\/holds\/all\/confirm/);
    expect(hotRoutesFirst({ logger: createLogger('silent'), authenticator, routes: routes.slice(1) }, koa)).to.not.equal(koa);
  });
});
