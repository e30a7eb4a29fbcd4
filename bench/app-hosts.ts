import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startPrivateMariadb, type PrivateMariadb } from '../tests/support/private-mariadb.js';
import { freePort } from '../tests/support/free-port.js';
import { prepareDatabaseSale, type DatabaseSale } from './chaos/database-sale.js';
import { startGaleraCluster, type GaleraCluster } from './galera-cluster.js';
import { startRedisCluster, type RedisCluster } from './redis-cluster.js';

const run = promisify(execFile);
const SCRIPT = path.resolve(import.meta.dirname, '../ops/hosts/hosts.sh');

export interface AppHosts {
  /** The root side of the hosts' bridge: where the database and the Redis Cluster listen for them. */
  gateway: string;
  /** Nginx in the root namespace, in front of the three. */
  url: string;
  /** Host n's own address (1..3), straight to its server. */
  hostUrl(host: number): string;
  sale: DatabaseSale;
  /** The private MariaDB, or (with `galera`) the 3-node Galera cluster whose HAProxy listens on the gateway. */
  database: PrivateMariadb | undefined;
  galera: GaleraCluster | undefined;
  cluster: RedisCluster;
  /** SIGKILL every process of host n and take its link down (`hosts.sh kill n`). */
  kill(host: number): Promise<void>;
  /** Link up, server started again (`hosts.sh start n`). */
  start(host: number): Promise<void>;
  status(): Promise<string>;
  /** The end of host n's server log. */
  log(host: number): string;
  /** Stops the servers, Nginx, the namespaces, the cluster and the database, and deletes their folders. */
  remove(): Promise<void>;
}

/** Why app hosts cannot run here (not root, no iproute2), or undefined when they can. */
export function appHostsMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  if (spawnSync('ip', ['-V']).error) return 'ip (iproute2) is not installed';
  const missing = ['redis-server', 'redis-cli', 'curl'].filter((tool) => spawnSync(tool, ['--version']).error !== undefined);
  return missing.length > 0 ? `${missing.join(' and ')} not installed` : undefined;
}

// the private MariaDB is skipped by tests when missing; here that is an error
const noSkip = {
  skip: () => {
    throw new Error('no MariaDB server binaries (mariadbd, mariadb-install-db)');
  },
} as unknown as Mocha.Context;

/** Why the hosts cannot run on Galera here (no provider, no HAProxy), or undefined when they can. */
export function galeraMissing(): string | undefined {
  if (!existsSync('/usr/lib/galera/libgalera_smm.so')) return 'the Galera provider is not installed (galera-4)';
  const haproxy = spawnSync('haproxy', ['-v'], { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
  return haproxy.error ? 'haproxy is not installed' : undefined;
}

/**
 * Three app hosts in network namespaces (ops/hosts/hosts.sh) behind Nginx, on a MariaDB and a Redis
 * Cluster of the run's own that listen on the bridge's root side; a sale of `buyers` members signed in
 * on `seats` seats (a queued show with `queue`). Takes about 20 s on 2 cores (three servers through tsx).
 * `galera`: a 3-node Galera cluster (ops/galera/cluster.sh) instead of the one MariaDB, the hosts
 * writing through its HAProxy, which listens on the gateway too (about 20 s more, started beside the
 * Redis Cluster).
 */
export async function startAppHosts(options: {
  buyers: number;
  seats: number;
  queue?: { admitPerSecond: number; maxActive: number };
  env?: Record<string, string>;
  galera?: boolean;
}): Promise<AppHosts> {
  const dir = mkdtempSync(path.join(tmpdir(), 'onsale-hosts-'));
  const nginxPort = await freePort();
  const baseEnv = { ...process.env, HOSTS_DIR: dir, HOSTS_NGINX_LISTEN: `127.0.0.1:${nginxPort}` };
  const script = (args: string[], env: NodeJS.ProcessEnv = baseEnv) =>
    run(SCRIPT, args, { env, timeout: 180_000 }).then(({ stdout }) => stdout.trim());
  const cleanups: (() => Promise<unknown>)[] = [];
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
    rmSync(dir, { recursive: true, force: true });
  };
  const removeAtExit = () => {
    if (!removed) spawnSync(SCRIPT, ['stop'], { env: baseEnv, timeout: 30_000 });
  };
  process.once('exit', removeAtExit);
  try {
    cleanups.push(() => script(['stop']));
    const gateway = await script(['network']);
    // MariaDB at its defaults for a host that vanishes (no FIN): onsale's own sessions carry wait_timeout and
    // net_read_timeout (MYSQL_SILENT_SESSION_TIMEOUT_S), so a dead host's locks go within 5 s (docs/scaling.md)
    const starting = options.galera
      ? startGaleraCluster({ listen: gateway }).then((galera) => (cleanups.push(() => galera.remove()), { galera, database: undefined }))
      : startPrivateMariadb(noSkip, { options: { 'bind-address': `127.0.0.1,${gateway}` } }).then(
          (database) => (cleanups.push(() => database.remove()), { database, galera: undefined }),
        );
    const clustering = startRedisCluster({ address: gateway }).then((cluster) => (cleanups.push(() => cluster.remove()), cluster));
    // both at once; both settled before a failure is thrown, so that each one's removal is registered
    const [stores, clustered] = await Promise.allSettled([starting, clustering]);
    if (stores.status === 'rejected') throw stores.reason;
    if (clustered.status === 'rejected') throw clustered.reason;
    const { database, galera } = stores.value;
    const cluster = clustered.value;
    const server = galera
      ? { port: Number(new URL(galera.writerUrl).port), sql: (statement: string) => galera.sql(0, statement) }
      : database!;
    const sale = await prepareDatabaseSale(server, {
      redisUrl: '',
      redisEnv: { REDIS_CLUSTER_NODES: cluster.nodes },
      address: gateway,
      buyers: options.buyers,
      seats: options.seats,
      queue: options.queue,
    });
    const serverEnv = {
      ...baseEnv,
      ...sale.env,
      LOG_LEVEL: 'warn',
      // every client comes from one address here: per-address limits would throttle them as one
      QUEUE_JOIN_RATE: '100000r/s',
      QUEUE_JOIN_BURST: '100000',
      ...options.env,
    };
    try {
      await script(['start'], serverEnv);
    } catch (error) {
      const logs = [1, 2, 3].map((host) => `host ${host}: ${tail(dir, host)}`).join('\n');
      throw new Error(`ops/hosts/hosts.sh start failed: ${(error as { stderr?: string }).stderr ?? error}\n${logs}`, { cause: error });
    }
    const address = (host: number) => `${gateway.replace(/\.1$/, '')}.${host + 1}`;
    return {
      gateway,
      url: `http://127.0.0.1:${nginxPort}`,
      hostUrl: (host) => `http://${address(host)}:3000`,
      sale,
      database,
      galera,
      cluster,
      kill: async (host) => void (await script(['kill', String(host)])),
      start: async (host) => void (await script(['start', String(host)], serverEnv)),
      status: () => script(['status']),
      log: (host) => tail(dir, host),
      remove: async () => {
        process.removeListener('exit', removeAtExit);
        await remove();
      },
    };
  } catch (error) {
    process.removeListener('exit', removeAtExit);
    await remove();
    throw error;
  }
}

function tail(dir: string, host: number): string {
  try {
    return readFileSync(path.join(dir, `h${host}`, 'server.log'), 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}
