import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { tempDataDir } from '../../support/temp-dir.js';
import { RawConnection } from '../admission/raw-connection.js';

/** The newcomer's path: no MYSQL_URL, no REDIS_URL — the server runs on SQLite in DATA_DIR. */
describe('embedded start-up', function () {
  this.timeout(60_000);
  const data = tempDataDir();
  let child: ChildProcess | undefined;
  let port = 0;

  before(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', DATA_DIR: data.dir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    port = await listeningPort(child);
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    data.remove();
  });

  it('when started with no MySQL and no Redis, then /health/ready answers from the embedded store', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
    const body = (await response.json()) as { status: string; checks: Record<string, string> };
    expect(response.status).to.equal(200);
    expect(body.checks).to.have.property('sqlite', 'up');
    expect(body.checks).not.to.have.property('redis');
  });

  it('when an unknown route is asked for, then the answer is problem+json', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/nothing-here`);
    expect(response.status).to.equal(404);
    expect(response.headers.get('content-type')).to.match(/application\/problem\+json/);
  });

  it('when an event stream is asked with Upgrade: onsale-events, then the server answers it on the bare socket', async () => {
    const connection = await RawConnection.open(port);
    connection.send('GET', '/api/shows/s1/queue/events', { connection: 'Upgrade', upgrade: 'onsale-events' });
    const refused = await connection.reply();
    await connection.whenClosed();
    expect(refused.status).to.equal(401);
    // written by the upgrade path, not by Koa (whose answers keep the connection alive)
    expect(refused.headers.get('connection')).to.equal('close');
    expect(JSON.parse(refused.body).code).to.equal('AUTH.TOKEN_MISSING');
  });

  it('when sent SIGTERM, then it exits cleanly', async () => {
    child!.kill('SIGTERM');
    const [code] = (await once(child!, 'exit')) as [number | null];
    expect(code).to.equal(0);
  });
});

/** Reads pino's "onsale listening" line for the port the OS gave us. */
async function listeningPort(child: ChildProcess): Promise<number> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 45_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*onsale listening|onsale listening[^\n]*"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1] ?? match[2]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}
