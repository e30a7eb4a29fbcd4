import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { decodeJwtPayload, MembersServer, MODES, uniqueEmail } from './members-server.js';

const run = promisify(execFile);

for (const { mode, title } of MODES) {
  describe(`onsale members grant-admin (CLI, ${title})`, function () {
    let server: MembersServer;

    before(async function () {
      server = await MembersServer.start(this, mode);
    });

    after(async () => {
      await server?.close();
    });

    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'members', ...args], {
        env: { ...process.env, ...server.env, LOG_LEVEL: 'warn' },
      });

    it('when run with a member’s address, then their next token has the admin role; run again, it says so', async () => {
      const member = await server.member();
      const first = await cli('grant-admin', member.email.toUpperCase());
      expect(first.stdout)
        .to.match(/granted the admin role/)
        .and.include(member.id);
      const login = await server.logIn(member.email, member.password);
      expect(decodeJwtPayload(login.body.accessToken).roles).to.deep.equal(['admin']);
      const second = await cli('grant-admin', member.email);
      expect(second.stdout).to.match(/is an admin already/);
    });

    it('when the address belongs to nobody, then it exits 1 naming the problem', async () => {
      const failed = (await cli('grant-admin', uniqueEmail()).catch((error) => error)) as { code: number; stderr: string };
      expect(failed.code).to.equal(1);
      expect(failed.stderr).to.match(/No such member/);
    });
  });
}
