import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';

export interface PrivateRedisOptions {
  /** Listen with TLS only (`--port 0 --tls-port …`), presenting this certificate; `url` is then `rediss://`. */
  tls?: { cert: string; key: string; ca: string };
  /** ACL users with every right (`{ app: 'p@ss' }`: `redis://app:p%40ss@…`); with any, the passwordless `default` user is off. */
  users?: Record<string, string>;
}

export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A throw-away redis-server of the test's own on a free port, without persistence: for what must
 * not touch the shared Redis (SCRIPT FLUSH, its own INFO figures, being killed, TLS, ACL users).
 * `port`: start again where a stopped one was. Skips the suite when redis-server is not installed
 * (fails under CI=true).
 */
export async function startPrivateRedis(context: Mocha.Context, port?: number, options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  port ??= await freePort();
  const listen = options.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.cert, '--tls-key-file', options.tls.key]
    : ['--port', String(port)];
  const tls = options.tls ? ['--tls-ca-cert-file', options.tls.ca, '--tls-auth-clients', 'no'] : [];
  const users = Object.entries(options.users ?? {}).flatMap(([name, password]) => [
    '--user',
    name,
    'on',
    `>${password}`,
    '~*',
    '&*',
    '+@all',
  ]);
  const child = spawn('redis-server', [...listen, ...tls, ...users, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) resolve();
      });
    });
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`      (skipped: no redis-server of our own: ${(error as Error).message})`);
    context.skip();
  }
  return { url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`, port, stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}
