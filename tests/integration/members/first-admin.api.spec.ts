import { expect } from 'chai';
import type { SetupTokens } from '../../../src/application/ports/setup-tokens.js';
import { TOKENS } from '../../../src/application/tokens.js';
import type { Config } from '../../../src/infrastructure/config/config.js';
import { announceFirstAdmin } from '../../../src/infrastructure/members/first-admin-notice.js';
import { capturingLogger } from '../../support/log-capture.js';
import { decodeJwtPayload, MembersServer, MODES, uniqueEmail } from './members-server.js';

const PASSWORD = 'correct horse battery';

for (const { mode, title } of MODES) {
  describe(`first admin: setup link and ADMIN_EMAIL (${title})`, function () {
    let server: MembersServer;
    let startLines: Record<string, any>[];

    before(async function () {
      const capture = capturingLogger();
      server = await MembersServer.start(this, mode, {}, capture.logger);
      startLines = capture.lines();
    });

    after(async () => {
      await server?.close();
    });

    const setupLinks = (lines: Record<string, any>[]) => lines.filter((line) => typeof line.setupLink === 'string');
    const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;
    const rolesAfterLogIn = async (email: string, password = PASSWORD) => {
      const login = await server.logIn(email, password);
      return login.status === 200 ? (decodeJwtPayload(login.body.accessToken).roles as string[]) : [];
    };
    const announceAgain = async (env: Partial<Config> = {}) => {
      const capture = capturingLogger();
      const config = server.running.container.resolve<Config>(TOKENS.Config);
      await announceFirstAdmin(server.running.container, { ...config, ...env }, server.running.port, capture.logger);
      return capture.lines();
    };

    it('when the store has no admin, then start-up prints one line with a setup link on this port', () => {
      const links = setupLinks(startLines);
      expect(links).to.have.length(1);
      expect(links[0]!.msg).to.include(links[0]!.setupLink);
      expect(links[0]!.setupLink).to.match(new RegExp(`^http://127\\.0\\.0\\.1:${server.running.port}/setup\\?token=[A-Za-z0-9._-]{60,}$`));
    });

    it('when the token is forged, expired or missing, then nobody becomes admin (403 naming the reason, 400 naming token)', async () => {
      const good = tokenOf(setupLinks(startLines)[0]!.setupLink);
      const forged = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`;
      const expired = server.running.container.resolve<SetupTokens>(TOKENS.SetupTokens).issue(new Date(Date.now() - 2 * 3600_000)).token;
      for (const [token, reason] of [
        [forged, 'invalid'],
        [expired, 'expired'],
        ['not-a-token', 'invalid'],
      ] as const) {
        const email = uniqueEmail();
        const reply = await server.request('POST', '/api/setup', { body: { token, email, password: PASSWORD, name: 'Mallory' } });
        expect(reply.status, reason).to.equal(403);
        expect(reply.headers.get('content-type')).to.match(/application\/problem\+json/);
        expect(reply.body).to.include({ code: 'SETUP.TOKEN_REFUSED', reason });
        expect((await server.request('GET', `/api/setup?token=${encodeURIComponent(token)}`)).status).to.equal(403);
        expect(await rolesAfterLogIn(email)).to.deep.equal([]);
      }
      const missing = await server.request('POST', '/api/setup', { body: { email: uniqueEmail(), password: PASSWORD, name: 'Mallory' } });
      expect(missing.status).to.equal(400);
      expect((missing.body.errors as { path: string }[]).map((e) => e.path)).to.include('token');
    });

    it('when two people use the printed link at once, then exactly one account is made, and it is an admin', async () => {
      const token = tokenOf(setupLinks(startLines)[0]!.setupLink);
      expect((await server.request('GET', `/api/setup?token=${token}`)).status).to.equal(204);
      const emails = [uniqueEmail(), uniqueEmail(), uniqueEmail()];
      const replies = await Promise.all(
        emails.map((email) => server.request('POST', '/api/setup', { body: { token, email, password: PASSWORD, name: 'Owner' } })),
      );
      const made = replies.filter((reply) => reply.status === 201);
      expect(made).to.have.length(1);
      for (const reply of replies.filter((r) => r.status !== 201))
        expect(['SETUP.TOKEN_REFUSED', 'SETUP.DONE']).to.include(reply.body.code);
      const winner = emails[replies.indexOf(made[0]!)]!;
      expect(await rolesAfterLogIn(winner)).to.deep.equal(['admin']);
      for (const email of emails.filter((e) => e !== winner)) expect((await server.logIn(email, PASSWORD)).status).to.equal(401);
    });

    it('when an admin exists, then a fresh link is refused with 409 SETUP.DONE and start-up prints none', async () => {
      const fresh = server.running.container.resolve<SetupTokens>(TOKENS.SetupTokens).issue(new Date()).token;
      const reply = await server.request('POST', '/api/setup', {
        body: { token: fresh, email: uniqueEmail(), password: PASSWORD, name: 'Late' },
      });
      expect(reply.status).to.equal(409);
      expect(reply.body.code).to.equal('SETUP.DONE');
      expect(setupLinks(await announceAgain())).to.have.length(0);
    });

    it('when ADMIN_EMAIL and ADMIN_PASSWORD are set, then that account is created as an admin', async () => {
      const email = uniqueEmail();
      const lines = await announceAgain({ ADMIN_EMAIL: email, ADMIN_PASSWORD: PASSWORD });
      expect(lines.map((line) => line.msg)).to.include('created the admin account of ADMIN_EMAIL');
      expect(JSON.stringify(lines)).not.to.include(PASSWORD);
      expect(await rolesAfterLogIn(email)).to.deep.equal(['admin']);
    });

    it('when ADMIN_EMAIL names an account someone else signed up with another password, then it does not become admin', async () => {
      const squatter = await server.member('squatters password');
      const lines = await announceAgain({ ADMIN_EMAIL: squatter.email, ADMIN_PASSWORD: PASSWORD });
      expect(lines.some((line) => line.level === 40 && /NOT given/.test(line.msg))).to.equal(true);
      expect(await rolesAfterLogIn(squatter.email, 'squatters password')).to.deep.equal([]);
      const owner = await server.member(PASSWORD);
      await announceAgain({ ADMIN_EMAIL: owner.email, ADMIN_PASSWORD: PASSWORD });
      for (let i = 0; i < 50 && !(await rolesAfterLogIn(owner.email)).includes('admin'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await rolesAfterLogIn(owner.email)).to.deep.equal(['admin']);
    });
  });
}
