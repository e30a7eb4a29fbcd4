import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { decodeJwtPayload, MembersServer } from '../members/members-server.js';

const run = promisify(execFile);

describe('onsale members grant-staff and onsale tickets (CLI, embedded SQLite)', function () {
  this.timeout(60_000);
  let server: MembersServer;

  before(async function () {
    server = await MembersServer.start(this, 'embedded');
  });

  after(async () => {
    await server?.close();
  });

  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...process.env, ...server.env, LOG_LEVEL: 'warn' } });

  it('when a member is made staff of a show and then of every show, then their next token carries both roles', async () => {
    const member = await server.member();
    const showId = '0b7c6a52-1111-4000-8000-000000000001';
    expect((await cli('members', 'grant-staff', member.email, '--show', showId)).stdout).to.match(new RegExp(`granted staff:${showId}`));
    expect((await cli('members', 'grant-staff', member.email, '--show', showId)).stdout).to.match(/already/);
    expect((await cli('members', 'grant-staff', member.email)).stdout).to.match(/granted staff to/);
    const login = await server.logIn(member.email, member.password);
    expect(decodeJwtPayload(login.body.accessToken).roles).to.deep.equal([`staff:${showId}`, 'staff']);
  });

  it('when a key is rotated and the first retired, then the list shows one active and one retired; retiring it again fails', async () => {
    const first = (await cli('tickets', 'rotate-key')).stdout.match(/new signing key (k[0-9a-f]+)/)![1]!;
    const second = (await cli('tickets', 'rotate-key')).stdout.match(/new signing key (k[0-9a-f]+)/)![1]!;
    expect((await cli('tickets', 'retire-key', first)).stdout).to.include(`retired ${first}`);
    const list = (await cli('tickets', 'keys')).stdout;
    expect(list)
      .to.match(new RegExp(`${first}\\t.*\\tretired`))
      .and.match(new RegExp(`${second}\\t.*\\tactive`));
    const again = (await cli('tickets', 'retire-key', first).catch((error) => error)) as { code: number; stderr: string };
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include(`no active key ${first}`);
  });
});
