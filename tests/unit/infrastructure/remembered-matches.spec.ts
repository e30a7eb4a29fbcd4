import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import { rememberMatches } from '../../../src/infrastructure/http/remembered-matches.js';

function routes(): Router {
  const router = new Router();
  router.get('/api/shows/:id/queue', (ctx) => void (ctx.body = { show: ctx.params.id, route: ctx._matchedRoute }));
  router.post('/api/shows/:id/queue', (ctx) => void (ctx.status = 201));
  router.get('/api/shows/:id', (ctx) => void (ctx.body = { show: ctx.params.id }));
  return router;
}

async function serve(router: Router, calls: (port: number) => Promise<void>): Promise<void> {
  const app = new Koa();
  app.use(router.routes());
  app.use(router.allowedMethods());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await calls((server.address() as { port: number }).port);
  } finally {
    server.close();
  }
}

describe('a router that remembers its matches', () => {
  it('when a method and path are asked again, then the routes are not tested again and the answer is the same', async () => {
    const router = routes();
    const tested: string[] = [];
    const plain = router.match.bind(router);
    router.match = (path, method) => (tested.push(`${method} ${path}`), plain(path, method));
    rememberMatches(router);
    const first = router.match('/api/shows/a/queue', 'GET');
    const again = router.match('/api/shows/a/queue', 'GET');
    expect(tested).to.deep.equal(['GET /api/shows/a/queue']);
    expect(again.route).to.equal(true);
    expect(again.pathAndMethod.map((layer) => layer.path)).to.deep.equal(first.pathAndMethod.map((layer) => layer.path));
    // each request gets its own list of matched layers (ctx.matched is extended by later routers)
    expect(again.path).to.not.equal(first.path);
  });

  it('when more keys than the capacity were asked, then the routes are tested again', () => {
    const router = routes();
    let tests = 0;
    const plain = router.match.bind(router);
    router.match = (path, method) => (tests++, plain(path, method));
    rememberMatches(router, 2);
    for (const id of ['a', 'b', 'c', 'a']) router.match(`/api/shows/${id}`, 'GET');
    expect(tests).to.equal(4);
  });

  it('when served over HTTP, then params, the matched template and 405 with Allow come out as without it', async () => {
    const router = routes();
    rememberMatches(router);
    await serve(router, async (port) => {
      for (const id of ['one', 'two', 'one']) {
        const answer = await fetch(`http://127.0.0.1:${port}/api/shows/${id}/queue`);
        expect(await answer.json()).to.deep.equal({ show: id, route: '/api/shows/:id/queue' });
      }
      for (let i = 0; i < 2; i++) {
        const refused = await fetch(`http://127.0.0.1:${port}/api/shows/one/queue`, { method: 'DELETE' });
        expect(refused.status).to.equal(405);
        expect(refused.headers.get('allow')).to.equal('HEAD, GET, POST');
      }
      expect((await fetch(`http://127.0.0.1:${port}/api/nothing`)).status).to.equal(404);
    });
  });
});
