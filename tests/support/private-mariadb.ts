import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { freePort } from './free-port.js';

export interface PrivateMariadbOptions {
  /** Extra server options, as on mariadbd's command line without the dashes: `{ 'require-secure-transport': 'ON' }`. */
  options?: Record<string, string | number | boolean>;
}

export interface PrivateMariadb {
  port: number;
  dataDir: string;
  /** `mysql://root@127.0.0.1:PORT` (root has no password; it is the test's own server; `sql()` goes through its socket). */
  rootUrl: string;
  /** Runs one statement as root (a connection of its own, closed after). */
  sql(statement: string, bindings?: readonly unknown[]): Promise<unknown>;
  /** SIGKILL: a crash; the data stays for `start()`. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: a stalled node, its sockets open and nothing answering. */
  pause(): void;
  resume(): void;
  /** Starts the server again on the same port and data after `kill()` or `stop()`. */
  start(): Promise<void>;
  /** Shuts it down cleanly; `remove()` also deletes its data. */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

const STARTUP_MS = 30_000;
let template: string | undefined;

/**
 * A throw-away mariadbd of the test's own, in a temporary directory on a free port: for what must not
 * touch the shared server (users and grants, TLS, being killed, stalled or turned read-only). Skips
 * the suite when MariaDB's binaries are missing (fails under CI=true).
 */
export async function startPrivateMariadb(context: Mocha.Context, settings: PrivateMariadbOptions = {}): Promise<PrivateMariadb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'onsale-mariadb-'));
  const dataDir = path.join(dir, 'data');
  try {
    cpSync(installedTemplate(), dataDir, { recursive: true });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.CI === 'true') throw error;
    console.warn(`      (skipped: no MariaDB server of our own: ${(error as Error).message})`);
    context.skip();
  }
  const port = await freePort();
  // root works through the socket, which counts as secure transport: tests may require TLS on TCP
  const socket = path.join(dir, 'mariadb.sock');
  const args = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    '--user=root',
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${socket}`,
    `--pid-file=${path.join(dir, 'mariadb.pid')}`,
    '--skip-log-bin',
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=32M',
    '--innodb-log-file-size=16M',
    ...Object.entries(settings.options ?? {}).map(([name, value]) => `--${name}=${value}`),
  ];
  let child: ChildProcess | undefined;
  const rootUrl = `mysql://root@127.0.0.1:${port}`;

  const start = async () => {
    child = spawn('/usr/sbin/mariadbd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    await ready(child, port, socket);
  };
  const stopWith = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill('SIGCONT');
    running.kill(signal);
    await new Promise((resolve) => running.once('exit', resolve));
  };
  await start();
  return {
    port,
    dataDir,
    rootUrl,
    sql: (statement, bindings = []) => withRoot(socket, (knex) => knex.raw(statement, bindings as Knex.RawBinding[])),
    kill: () => stopWith('SIGKILL'),
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    start,
    stop: () => stopWith('SIGTERM'),
    remove: async () => {
      await stopWith('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** mariadb-install-db once per test process; each server starts from a copy (about 3 s saved each). */
function installedTemplate(): string {
  if (template && existsSync(template)) return template;
  const dir = mkdtempSync(path.join(tmpdir(), 'onsale-mariadb-template-'));
  const result = spawnSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${dir}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--innodb-log-file-size=16M',
    ],
    { encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${result.error?.message ?? result.stderr.slice(-500)}`);
  }
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  template = dir;
  return dir;
}

async function ready(child: ChildProcess, port: number, socket: string): Promise<void> {
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`mariadbd exited (${code ?? signal}): ${log}`))),
  );
  exited.catch(() => undefined);
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    const up = await Promise.race([
      withRoot(socket, (knex) => knex.raw('select 1')).then(
        () => true,
        () => false,
      ),
      exited,
    ]);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`mariadbd on port ${port} was not ready within ${STARTUP_MS} ms: ${log}`);
}

async function withRoot<T>(socketPath: string, use: (knex: Knex) => Promise<T>): Promise<T> {
  const knex = knexFactory({
    client: 'mysql2',
    connection: { socketPath, user: 'root', connectTimeout: 2000 },
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 3000,
    // Refused connections are expected while it starts; `ready` reports what matters.
    log: { warn: () => undefined, error: () => undefined, debug: () => undefined, deprecate: () => undefined },
  });
  try {
    return await use(knex);
  } finally {
    await knex.destroy();
  }
}
