import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { decodeProtectedHeader, SignJWT } from 'jose';
import type { Knex } from 'knex';
import { GrantAdminHandler } from '../../../src/application/members/grant-admin.handler.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { listTables } from '../../../src/infrastructure/projections/engine/sql-tables.js';
import { decodeJwtPayload, MembersServer, MODES, randomIp, uniqueEmail } from './members-server.js';

const PASSWORD = 'correct horse battery';
const run = promisify(execFile);

for (const { mode, title } of MODES) {
  describe(`members API over HTTP (${title})`, function () {
    let server: MembersServer;

    before(async function () {
      server = await MembersServer.start(this, mode);
    });

    after(async () => {
      await server?.close();
    });

    describe('sign-up', () => {
      it('when an address comes padded and in capitals, then it is stored normalised and the profile shows at once', async () => {
        const local = uniqueEmail();
        const signed = await server.signUp({ email: `  ${local.toUpperCase()} `, password: PASSWORD, name: 'Ada' });
        expect(signed.status).to.equal(201);
        expect(signed.body).to.deep.equal({ id: signed.body.id, email: local, name: 'Ada' });
        const login = await server.logIn(local, PASSWORD);
        expect(login.status).to.equal(200);
        const me = await server.request('GET', '/api/members/me', { token: login.body.accessToken });
        expect(me.status).to.equal(200);
        expect(me.body).to.include({ id: signed.body.id, email: local, name: 'Ada' });
        expect(me.body.roles).to.deep.equal([]);
        expect(Date.parse(me.body.registeredAt)).to.be.closeTo(Date.now(), 60_000);
      });

      it('when the address is taken, also in other capitals, then 409 MEMBER.EMAIL_TAKEN', async () => {
        const email = uniqueEmail();
        expect((await server.signUp({ email, password: PASSWORD, name: 'First' })).status).to.equal(201);
        const again = await server.signUp({ email: email.toUpperCase(), password: PASSWORD, name: 'Second' });
        expect(again.status).to.equal(409);
        expect(again.headers.get('content-type')).to.match(/application\/problem\+json/);
        expect(again.body.code).to.equal('MEMBER.EMAIL_TAKEN');
      });

      it('when fields are bad, missing or unknown, then 400 names each of them', async () => {
        const reply = await server.request('POST', '/api/members', {
          body: { email: 'not-an-address', password: 'short', name: '', admin: true },
        });
        expect(reply.status).to.equal(400);
        expect(reply.headers.get('content-type')).to.match(/application\/problem\+json/);
        expect(reply.body.code).to.equal('HTTP.VALIDATION');
        const paths = (reply.body.errors as { path: string }[]).map((error) => error.path);
        expect(paths).to.include.members(['email', 'password', 'name']);
        expect(reply.body.detail).to.match(/admin/);
      });

      it('when a password has 9 or 129 characters, then 400; with 10 or 128, then 201', async () => {
        const attempt = (password: string) => server.signUp({ email: uniqueEmail(), password, name: 'Len' });
        expect((await attempt('x'.repeat(9))).status).to.equal(400);
        expect((await attempt('x'.repeat(129))).status).to.equal(400);
        expect((await attempt('x'.repeat(10))).status).to.equal(201);
        expect((await attempt('x'.repeat(128))).status).to.equal(201);
      });

      it('when strings are too long, then 400 (address over 254, name over 100)', async () => {
        const longEmail = await server.signUp({ email: `${'a'.repeat(250)}@example.org`, password: PASSWORD, name: 'A' });
        expect(longEmail.status).to.equal(400);
        const longName = await server.signUp({ email: uniqueEmail(), password: PASSWORD, name: 'n'.repeat(101) });
        expect(longName.status).to.equal(400);
        expect(longName.body.errors[0].path).to.equal('name');
      });

      it('when the body is not valid JSON, then 400; when it is over 16 kB, then 413', async () => {
        const broken = await server.request('POST', '/api/members', { raw: '{"email": "a@b.c", ' });
        expect(broken.status).to.equal(400);
        expect(broken.headers.get('content-type')).to.match(/application\/problem\+json/);
        const huge = await server.request('POST', '/api/members', {
          body: { email: uniqueEmail(), password: PASSWORD, name: 'x'.repeat(20_000) },
        });
        expect(huge.status).to.equal(413);
        expect(huge.body.code).to.equal('HTTP.BODY_TOO_LARGE');
      });
    });

    describe('log-in', () => {
      it('when it succeeds, then an HS256 bearer token carries sub, roles, exp and the session epoch', async () => {
        const member = await server.member();
        const login = await server.logIn(member.email, member.password);
        expect(login.body).to.include({ tokenType: 'Bearer', expiresIn: 3600 });
        expect(login.headers.get('cache-control')).to.equal('no-store');
        expect(decodeProtectedHeader(login.body.accessToken).alg).to.equal('HS256');
        const claims = decodeJwtPayload(login.body.accessToken);
        expect(claims).to.include({ sub: member.id, sep: 0 });
        expect(claims.roles).to.deep.equal([]);
        expect(claims.exp).to.be.closeTo(Math.floor(Date.now() / 1000) + 3600, 60);
      });

      it('when the address is unknown or the password wrong, then the same 401 answer', async () => {
        const member = await server.member();
        const unknown = await server.logIn(uniqueEmail(), PASSWORD);
        const wrong = await server.logIn(member.email, 'wrong password!');
        expect(unknown.status).to.equal(401);
        expect(wrong.status).to.equal(401);
        // the same answer but for each request's own id
        const { requestId: unknownId, ...unknownBody } = unknown.body;
        const { requestId: wrongId, ...wrongBody } = wrong.body;
        expect(unknownBody).to.deep.equal(wrongBody);
        expect(unknownId).to.equal(unknown.headers.get('x-request-id'));
        expect(wrongId).to.equal(wrong.headers.get('x-request-id'));
        expect(wrong.body.code).to.equal('AUTH.INVALID_CREDENTIALS');
      });

      it('when one address failed 10 times, then the next attempt is 429 with Retry-After, even with the right password', async () => {
        const member = await server.member();
        for (let i = 0; i < 10; i++) expect((await server.logIn(member.email, `wrong password ${i}`)).status).to.equal(401);
        const blocked = await server.logIn(member.email, member.password);
        expect(blocked.status).to.equal(429);
        expect(blocked.body.code).to.equal('AUTH.TOO_MANY_ATTEMPTS');
        expect(Number(blocked.headers.get('retry-after'))).to.be.within(1, 15 * 60);
        const other = await server.member();
        expect((await server.logIn(other.email, other.password)).status).to.equal(200);
      });

      it('when one IP failed 50 times on many addresses, then its next attempt is 429 while other IPs log in', async () => {
        const member = await server.member();
        const ip = randomIp();
        for (let round = 0; round < 10; round++) {
          const replies = await Promise.all(Array.from({ length: 5 }, () => server.logIn(uniqueEmail(), PASSWORD, ip)));
          expect(replies.map((reply) => reply.status)).to.deep.equal([401, 401, 401, 401, 401]);
        }
        const blocked = await server.logIn(member.email, member.password, ip);
        expect(blocked.status).to.equal(429);
        expect(Number(blocked.headers.get('retry-after'))).to.be.greaterThan(0);
        expect((await server.logIn(member.email, member.password, randomIp())).status).to.equal(200);
      });

      // The hash queue is wired alike in both modes; once is enough for 68 slow hashes.
      if (mode === 'embedded')
        it('when 100 log-ins arrive at once, then those past the hash queue get 503 AUTH.BUSY', async function () {
          this.timeout(120_000);
          const replies = await Promise.all(Array.from({ length: 100 }, () => server.logIn(uniqueEmail(), PASSWORD)));
          const busy = replies.filter((reply) => reply.status === 503);
          // 4 hashing + 64 waiting are served; how many more depends on how fast the first ones finish.
          expect(replies.filter((reply) => reply.status === 401).length).to.be.at.least(68);
          expect(busy.length).to.be.at.least(1);
          expect(replies.every((reply) => reply.status === 401 || reply.status === 503)).to.equal(true);
          expect(busy[0]!.body.code).to.equal('AUTH.BUSY');
          expect(busy[0]!.headers.get('retry-after')).to.equal('1');
        });

      it('when a success follows a few failures, then the address count starts again', async () => {
        const member = await server.member();
        for (let i = 0; i < 9; i++) await server.logIn(member.email, 'wrong password!');
        expect((await server.logIn(member.email, member.password)).status).to.equal(200);
        for (let i = 0; i < 9; i++) await server.logIn(member.email, 'wrong password!');
        expect((await server.logIn(member.email, member.password)).status).to.equal(200);
      });
    });

    describe('access tokens', () => {
      it('when no token, a malformed one, a forged one or an unsigned one is sent, then 401', async () => {
        const member = await server.member();
        const missing = await server.request('GET', '/api/members/me');
        expect(missing.status).to.equal(401);
        expect(missing.body.code).to.equal('AUTH.TOKEN_MISSING');
        const garbage = await server.request('GET', '/api/members/me', { token: 'not.a.token' });
        expect(garbage.body.code).to.equal('AUTH.TOKEN_INVALID');
        const forged = await new SignJWT({ roles: ['admin'], sep: 0 })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(member.id)
          .setIssuer('onsale')
          .setAudience('onsale-api')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('another secret that is long enough!!'));
        expect((await server.request('GET', '/api/members/me', { token: forged })).status).to.equal(401);
        const [, payload] = member.token.split('.');
        const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
        expect((await server.request('GET', '/api/members/me', { token: unsigned })).status).to.equal(401);
        expect((await server.request('GET', '/api/members/me', { token: member.token })).status).to.equal(200);
      });
    });

    describe('profile', () => {
      it('when the name changes, then the answer and the next read show the new name', async () => {
        const member = await server.member();
        const patched = await server.request('PATCH', '/api/members/me', { token: member.token, body: { name: '  Ada Lovelace ' } });
        expect(patched.status).to.equal(200);
        expect(patched.body).to.include({ id: member.id, email: member.email, name: 'Ada Lovelace' });
        const me = await server.request('GET', '/api/members/me', { token: member.token });
        expect(me.body.name).to.equal('Ada Lovelace');
      });

      it('when the patch is empty, names another field or has no token, then 400 or 401', async () => {
        const member = await server.member();
        expect((await server.request('PATCH', '/api/members/me', { token: member.token, body: { name: ' ' } })).status).to.equal(400);
        const extra = await server.request('PATCH', '/api/members/me', { token: member.token, body: { name: 'X', email: 'x@y.z' } });
        expect(extra.status).to.equal(400);
        expect(extra.body.detail).to.match(/email/);
        expect((await server.request('PATCH', '/api/members/me', { body: { name: 'X' } })).status).to.equal(401);
      });
    });

    describe('password change', () => {
      it('when the current password is wrong, then 401 and nothing changes', async () => {
        const member = await server.member();
        const reply = await server.request('PUT', '/api/members/me/password', {
          token: member.token,
          body: { currentPassword: 'wrong password!', newPassword: 'a new password' },
        });
        expect(reply.status).to.equal(401);
        expect(reply.body.code).to.equal('MEMBER.CURRENT_PASSWORD_WRONG');
        expect((await server.logIn(member.email, member.password)).status).to.equal(200);
        expect((await server.request('GET', '/api/members/me', { token: member.token })).status).to.equal(200);
      });

      it('when it succeeds, then 204, every earlier token stops working and only the new password logs in', async () => {
        const member = await server.member();
        const second = (await server.logIn(member.email, member.password)).body.accessToken as string;
        const reply = await server.request('PUT', '/api/members/me/password', {
          token: member.token,
          body: { currentPassword: member.password, newPassword: 'a brand new password' },
        });
        expect(reply.status).to.equal(204);
        for (const old of [member.token, second]) {
          const me = await server.request('GET', '/api/members/me', { token: old });
          expect(me.status).to.equal(401);
          expect(me.body.code).to.equal('AUTH.TOKEN_REVOKED');
        }
        expect((await server.logIn(member.email, member.password)).status).to.equal(401);
        const fresh = await server.logIn(member.email, 'a brand new password');
        expect(fresh.status).to.equal(200);
        expect(decodeJwtPayload(fresh.body.accessToken).sep).to.equal(1);
        expect((await server.request('GET', '/api/members/me', { token: fresh.body.accessToken })).status).to.equal(200);
      });

      it('when the new password is too short or a field is unknown, then 400', async () => {
        const member = await server.member();
        const short = await server.request('PUT', '/api/members/me/password', {
          token: member.token,
          body: { currentPassword: member.password, newPassword: 'short' },
        });
        expect(short.status).to.equal(400);
        expect(short.body.errors[0].path).to.equal('newPassword');
        const extra = await server.request('PUT', '/api/members/me/password', {
          token: member.token,
          body: { currentPassword: member.password, newPassword: 'long enough pw', confirm: 'long enough pw' },
        });
        expect(extra.status).to.equal(400);
      });
    });

    describe('withdrawal', () => {
      it('when a member withdraws, then their personal data is in no table, tokens fail, and the address signs up again', async () => {
        const member = await server.member();
        await server.request('PATCH', '/api/members/me', { token: member.token, body: { name: `${member.name} Renamed` } });
        const reply = await server.request('DELETE', '/api/members/me', { token: member.token });
        expect(reply.status).to.equal(204);

        const me = await server.request('GET', '/api/members/me', { token: member.token });
        expect(me.status).to.equal(401);
        expect((await server.logIn(member.email, member.password)).status).to.equal(401);

        // the closing mail holds the address until it is sent (within a second or two), then no row does
        const outbox = server.running.container.resolve<Knex>(TOKENS.Knex)('mail_outbox');
        for (let end = Date.now() + 10_000; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 100))) {
          if ((await outbox.clone().where({ member_id: member.id }).whereNull('sent_at')).length === 0) break;
        }
        const dump = await dumpDatabase(server.running.container.resolve<Knex>(TOKENS.Knex));
        expect(dump).not.to.include(member.email);
        expect(dump).not.to.include(member.name);
        expect(dump).not.to.include(member.id.concat('","secret'));
        expect(dump, 'the events are still there, sealed').to.include(member.id);
        const knex = server.running.container.resolve<Knex>(TOKENS.Knex);
        expect(await knex('claims').where({ owner_stream_id: `member-${member.id}` })).to.deep.equal([]);

        const again = await server.signUp({ email: member.email, password: PASSWORD, name: 'Back again' });
        expect(again.status).to.equal(201);
        expect(again.body.id).not.to.equal(member.id);
        expect((await server.logIn(member.email, PASSWORD)).status).to.equal(200);
      });
    });

    describe('rebuilding the read model', () => {
      it('when the members projection is rebuilt, then its rows are the same and withdrawn members stay out', async () => {
        const stays = await server.member();
        await server.request('PATCH', '/api/members/me', { token: stays.token, body: { name: 'Renamed Before Rebuild' } });
        const leaves = await server.member();
        await server.request('DELETE', '/api/members/me', { token: leaves.token });
        const knex = server.running.container.resolve<Knex>(TOKENS.Knex);
        const rows = () => knex('members_accounts').orderBy('member_id').select('*');
        const before = await rows();
        await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'projections', 'rebuild', 'members'], {
          env: { ...process.env, ...server.env },
        });
        const after = await rows();
        expect(after).to.deep.equal(before);
        expect(after.map((row) => row.member_id))
          .to.include(stays.id)
          .and.not.include(leaves.id);
        expect(after.find((row) => row.member_id === stays.id).name).to.equal('Renamed Before Rebuild');
      });
    });

    describe('admin role', () => {
      it('when the admin role is granted, then the next token carries it in roles', async () => {
        const member = await server.member();
        const grant = server.running.container.resolve(GrantAdminHandler);
        expect(await grant.handle({ email: member.email.toUpperCase() })).to.deep.include({ memberId: member.id, changed: true });
        expect(await grant.handle({ email: member.email })).to.deep.equal({ memberId: member.id, changed: false, position: 0 });
        const waited = await server.running.container
          .resolve<{ waitFor(p: string, pos: number, ms: number): Promise<boolean> }>(TOKENS.ProjectionWaiter)
          .waitFor(
            'members',
            await server.running.container.resolve<{ headPosition(): Promise<number> }>(TOKENS.EventStore).headPosition(),
            5000,
          );
        expect(waited).to.equal(true);
        const login = await server.logIn(member.email, member.password);
        expect(decodeJwtPayload(login.body.accessToken).roles).to.deep.equal(['admin']);
        const me = await server.request('GET', '/api/members/me', { token: login.body.accessToken });
        expect(me.body.roles).to.deep.equal(['admin']);
      });
    });

    describe('the OpenAPI document', () => {
      it('when fetched, then it lists every member route with its bounded, closed schemas', async () => {
        const doc = (await server.request('GET', '/api/openapi.json')).body;
        expect(Object.keys(doc.paths.members ?? {})).to.deep.equal([]);
        expect(doc.paths['/api/members']).to.have.property('post');
        expect(doc.paths['/api/auth/login']).to.have.property('post');
        expect(doc.paths['/api/members/me']).to.have.all.keys('get', 'patch', 'delete');
        expect(doc.paths['/api/members/me/password']).to.have.property('put');
        const body = doc.paths['/api/members'].post.requestBody.content['application/json'].schema;
        expect(body.additionalProperties).to.equal(false);
        expect(body.properties.password).to.include({ minLength: 10, maxLength: 128 });
        expect(body.properties.email.maxLength).to.equal(254);
        expect(body.properties.name.maxLength).to.equal(100);
      });
    });
  });
}

/** Every row of every table, as one string. */
async function dumpDatabase(knex: Knex): Promise<string> {
  const parts: string[] = [];
  for (const table of await listTables(knex)) parts.push(JSON.stringify(await knex(table).select('*')));
  return parts.join('\n').toLowerCase();
}
