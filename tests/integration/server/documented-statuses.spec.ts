import http from 'node:http';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { BookingServer } from '../booking/booking-server.js';

interface Operation {
  method: string;
  path: string;
  secured: boolean;
  hasParams: boolean;
  hasBody: boolean;
  documented: string[];
}

/** Raw HTTP (fetch refuses TRACE): status, headers and body text. */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('every status an operation answers is in its OpenAPI responses (embedded)', function () {
  this.timeout(60_000);
  let server: BookingServer;
  let member: { token: string };
  let admin: { token: string };
  let operations: Operation[];
  const logged: string[] = [];

  before(async function () {
    const capture = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    server = await BookingServer.start(this, 'embedded', {}, createLogger('info', capture));
    [member, admin] = [await server.member(), await server.member({ admin: true })];
    const document = (await server.request('GET', '/api/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { security?: unknown; parameters?: { in: string }[]; requestBody?: unknown; responses: object; tags: string[] }>
      >;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        secured: Boolean(operation.security),
        hasParams: (operation.parameters ?? []).some((p) => p.in === 'path'),
        hasBody: Boolean(operation.requestBody),
        documented: Object.keys(operation.responses),
      })),
    );
    expect(operations.length).to.be.greaterThan(15);
  });

  after(async () => {
    await server?.close();
  });

  const port = () => server.running.port;
  const errorLines = () => logged.filter((line) => JSON.parse(line).level >= 50);
  const withIds = (path: string, id: string) => path.replace(/\{\w+\}/g, id);
  async function expectDocumented(operation: Operation, what: string, token?: string, body?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const id = operation.hasParams && what === 'an over-long id' ? 'x'.repeat(300) : 'a1';
    const answer = await send(port(), operation.method, withIds(operation.path, id), headers, body);
    expect(operation.documented, `${operation.method} ${operation.path} with ${what} answered ${answer.status}: ${answer.text}`).to.include(
      String(answer.status),
    );
    expect(answer.status).to.be.below(500);
  }

  it('when an id is over-long, a token or role is missing, or a body is malformed or too large, then the answer is documented', async () => {
    for (const operation of operations) {
      if (operation.method === 'GET' && operation.path.endsWith('/events')) continue; // an event stream: no request shape to break
      const token = operation.secured ? admin.token : undefined;
      if (operation.hasParams) await expectDocumented(operation, 'an over-long id', token, operation.hasBody ? '{}' : undefined);
      if (operation.secured) {
        await expectDocumented(operation, 'no token');
        await expectDocumented(operation, 'a member token', member.token, operation.hasBody ? '{}' : undefined);
      }
      if (operation.hasBody) {
        await expectDocumented(operation, 'an unknown field', token, '{"unknown":1}');
        await expectDocumented(operation, 'broken JSON', token, '{"a":');
        await expectDocumented(operation, 'a body over 16 kB', token, JSON.stringify({ padding: 'x'.repeat(17 * 1024) }));
      }
    }
    expect(errorLines()).to.deep.equal([]);
  });

  it('when a method no route implements (TRACE) or the path lacks is sent, then it is a 405 problem with Allow, logged below error', async () => {
    for (const path of ['/api/shows', '/api/shows/a1/seats', '/health/live', '/metrics', '/nowhere']) {
      for (const method of path === '/nowhere' ? ['TRACE'] : ['TRACE', 'PUT']) {
        const answer = await send(port(), method, path);
        expect(answer.status, `${method} ${path}`).to.equal(405);
        expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(JSON.parse(answer.text)).to.include({ status: 405, code: 'HTTP.METHOD_NOT_ALLOWED' });
        expect(answer.headers.allow, `${method} ${path}`).to.be.a('string');
      }
    }
    expect((await send(port(), 'TRACE', '/api/shows')).headers.allow).to.equal('POST, HEAD, GET');
    expect(errorLines()).to.deep.equal([]);
  });

  it('when a name has a leading or trailing control character, then it is refused as the document says', async () => {
    const member = await server.member(); // the walk above withdrew the first one
    for (const name of ['ñ\n', '\tAda', 'Ada\u0085']) {
      const answer = await server.request('PATCH', '/api/members/me', { token: member.token, body: { name } });
      expect(answer.status, JSON.stringify(name)).to.equal(400);
      expect(answer.body.code).to.equal('HTTP.VALIDATION');
    }
    const trimmed = await server.request('PATCH', '/api/members/me', { token: member.token, body: { name: '  Ada  ' } });
    expect(trimmed.body.name).to.equal('Ada');
    const document = (await server.request('GET', '/api/openapi.json')).body;
    const pattern = document.paths['/api/members/me'].patch.requestBody.content['application/json'].schema.properties.name
      .pattern as string;
    expect(pattern).to.equal('^[^\\u0000-\\u001F\\u007F-\\u009F]*$');
    expect(new RegExp(pattern).test('ñ\n')).to.equal(false);
  });
});
