import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { createApp } from '../../../src/infrastructure/http/app.js';
import { staticWeb } from '../../../src/infrastructure/http/static-web.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { tempDataDir } from '../../support/temp-dir.js';

describe('the web front end, served beside the API', () => {
  const dir = tempDataDir();
  let server: Server;
  let base: string;

  before(async () => {
    mkdirSync(path.join(dir.dir, 'assets'));
    writeFileSync(path.join(dir.dir, 'index.html'), '<!doctype html><title>onsale</title>');
    writeFileSync(path.join(dir.dir, 'assets', 'app-1234.js'), 'console.log(1)');
    // what the build's precompress step writes beside a file
    const script = `console.log('${'x'.repeat(2000)}')`;
    writeFileSync(path.join(dir.dir, 'assets', 'big-5678.js'), script);
    writeFileSync(path.join(dir.dir, 'assets', 'big-5678.js.br'), brotliCompressSync(script));
    writeFileSync(path.join(dir.dir, 'assets', 'big-5678.js.gz'), gzipSync(script));
    const app = createApp({
      logger: createLogger('silent'),
      authenticator: { authenticate: async () => ({ memberId: 'm', roles: [] }) },
      routes: [],
      readiness: [],
      fallback: staticWeb(dir.dir),
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    dir.remove();
  });

  it('when a page of the app is asked for, then index.html answers, not cached', async () => {
    for (const page of ['/', '/shows/abc', '/me/reservations']) {
      const response = await fetch(`${base}${page}`);
      expect(response.status, page).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/text\/html/);
      expect(response.headers.get('cache-control')).to.equal('no-cache');
      expect(await response.text()).to.contain('<title>onsale</title>');
    }
  });

  it('when a hashed asset is asked for, then it is cached for good', async () => {
    const response = await fetch(`${base}/assets/app-1234.js`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('cache-control')).to.contain('immutable');
  });

  it('when the browser takes brotli or gzip, then the file built in that encoding is sent, still typed and cached as the file', async () => {
    const expected = `console.log('${'x'.repeat(2000)}')`;
    for (const [accepted, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const response = await fetch(`${base}/assets/big-5678.js`, { headers: { 'Accept-Encoding': accepted } });
      expect(response.status, accepted).to.equal(200);
      expect(response.headers.get('content-encoding'), accepted).to.equal(encoding);
      expect(response.headers.get('content-type'), accepted).to.match(/javascript/);
      expect(response.headers.get('cache-control'), accepted).to.contain('immutable');
      expect(response.headers.get('vary'), accepted).to.match(/Accept-Encoding/i);
      // fetch decodes what it accepted: the same script whichever way it came
      expect(await response.text(), accepted).to.equal(expected);
    }
  });

  it('when an unknown API path or a missing file is asked for, then the answer is a 404 problem, not the app', async () => {
    for (const missing of ['/api/nope', '/api/shows/x/unknown', '/assets/gone.js', '/health/nope']) {
      const response = await fetch(`${base}${missing}`);
      expect(response.status, missing).to.equal(404);
      expect(response.headers.get('content-type'), missing).to.match(/application\/problem\+json/);
    }
  });

  it('when a page path is posted to, then the app is not served', async () => {
    const response = await fetch(`${base}/shows/abc`, { method: 'POST' });
    expect(response.status).to.equal(404);
  });
});
