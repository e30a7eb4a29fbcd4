import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../support/free-port.js';
import { tempDataDir } from '../../support/temp-dir.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Runs `onsale demo` as a newcomer would, until it has printed `until` (then it is stopped) or exited. */
async function demo(env: Record<string, string>, args: string[], until?: RegExp): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo', ...args], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stopping = false;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not finish:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!stopping && until?.test(output)) {
        stopping = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 || stopping) resolve(output);
      else reject(new Error(`demo exited with ${code}:\n${output}`));
    });
  });
}

const credentialsOf = (output: string, role: 'admin' | 'buyer') => {
  const match = new RegExp(`^  ${role} +(\\S+@\\S+) +(\\S+)`, 'm').exec(output);
  if (!match) throw new Error(`no ${role} line in:\n${output}`);
  return { email: match[1]!, password: match[2]! };
};

describe('onsale demo from a clean data dir (embedded)', function () {
  this.timeout(180_000);
  const data = tempDataDir();

  after(() => data.remove());

  it('when run on an empty DATA_DIR, then it seeds three shows and two accounts, prints them, and serves them', async () => {
    const port = await freePort();
    const seededAt = Date.now();
    const output = await demo({ DATA_DIR: data.dir, PORT: String(port) }, [], /"msg":"onsale listening"/);
    // the server is stopped now; read what it served through a second run that only prints
    expect(output).to.match(/onsale demo: 3 shows \(the waiting room of "Arena Tour: the big on-sale" opens at /);
    expect(output).not.to.match(/setupLink/);
    const admin = credentialsOf(output, 'admin');
    const buyer = credentialsOf(output, 'buyer');
    expect(admin.email).to.equal('admin@demo.onsale.test');
    expect(buyer.email).to.equal('buyer@demo.onsale.test');
    expect(admin.password).to.have.length.greaterThan(12);
    expect(admin.password).not.to.equal(buyer.password);

    const again = await demo({ DATA_DIR: data.dir, PORT: String(port) }, ['--no-serve']);
    expect(again).to.match(/seeded before; the same accounts/);
    expect(credentialsOf(again, 'admin')).to.deep.equal(admin);

    const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: data.dir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve) =>
        server.stdout.on('data', (chunk: Buffer) => /onsale listening/.test(String(chunk)) && resolve()),
      );
      const base = `http://127.0.0.1:${port}`;
      const shows = (await (await fetch(`${base}/api/shows`)).json()) as any[];
      expect(shows.map((s) => s.title)).to.have.members([
        'String Quartet Night',
        'Indie Rock Festival (standing)',
        'Arena Tour: the big on-sale',
      ]);
      const reserved = shows.find((s) => s.title === 'String Quartet Night');
      expect(reserved.seating.sections).to.have.length(3);
      expect(reserved.queue.enabled).to.equal(false);
      const general = shows.find((s) => s.title.startsWith('Indie'));
      expect(general.seating.generalAdmission.capacity).to.equal(800);
      const arena = shows.find((s) => s.title.startsWith('Arena'));
      expect(arena.queue.enabled).to.equal(true);
      expect(Date.parse(arena.salesOpenAt) - seededAt).to.be.within(50_000, 70_000);
      const logIn = async (account: { email: string; password: string }) => {
        const reply = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(account),
        });
        const token = ((await reply.json()) as { accessToken: string }).accessToken;
        return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).roles as string[];
      };
      expect(await logIn(admin)).to.deep.equal(['admin']);
      expect(await logIn(buyer)).to.deep.equal([]);
    } finally {
      server.kill('SIGTERM');
    }
  });
});
