import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster, type ClusterOptions } from 'ioredis';
import { freePortRun } from '../tests/support/free-port.js';
import { startScriptedCluster } from './scripted-cluster.js';

const run = promisify(execFile);
const SCRIPT = path.resolve(import.meta.dirname, '../ops/redis-cluster/cluster.sh');

export interface RedisCluster {
  /** `127.0.0.1:PORT,…` of all six nodes: what REDIS_CLUSTER_NODES takes. */
  nodes: string;
  /** Node n's port (1..6). */
  port(node: number): number;
  /** A new Cluster client on it (disconnect it when done). */
  client(options?: ClusterOptions): Cluster;
  /** The nodes that are masters now (`cluster.sh masters`). */
  masters(): Promise<number[]>;
  /** SIGKILL node n (`cluster.sh kill n`). */
  kill(node: number): Promise<void>;
  /** SIGSTOP node n (`cluster.sh pause n`): a stalled node. */
  pause(node: number): Promise<void>;
  /** SIGCONT node n (`cluster.sh resume n`). */
  resume(node: number): Promise<void>;
  /** The node (1..6) that replicates master node n now. */
  replicaOf(node: number): Promise<number>;
  /** Starts node n again and waits until the cluster is whole (`cluster.sh start n`). */
  start(node: number): Promise<void>;
  /** `cluster.sh status`. */
  status(): Promise<string>;
  /** Stops the nodes and deletes their folder (also done when the process exits). */
  remove(): Promise<void>;
}

/**
 * A Redis Cluster of 3 masters and 3 replicas through ops/redis-cluster/cluster.sh, in a temporary
 * directory on free ports (about 3 s): for the Redis Cluster tests and benchmarks. `address`: what the
 * nodes announce and listen on besides 127.0.0.1 (the root side of ops/hosts' bridge).
 */
export async function startRedisCluster(options: { address?: string } = {}): Promise<RedisCluster> {
  const address = options.address ?? '127.0.0.1';
  // node n at BASE+n-1, its cluster bus at BASE+n+9
  const base = await freePortRun(16, [6379]);
  const { script, remove } = await startScriptedCluster({
    script: SCRIPT,
    prefix: 'onsale-redis-cluster-',
    env: (dir) => ({ REDIS_CLUSTER_DIR: dir, REDIS_CLUSTER_BASE_PORT: String(base), REDIS_CLUSTER_ADDRESS: address }),
    timeoutMs: 60_000,
  });
  const port = (node: number) => base + node - 1;
  const seeds = [1, 2, 3, 4, 5, 6].map((node) => ({ host: address, port: port(node) }));
  return {
    nodes: seeds.map(({ host, port }) => `${host}:${port}`).join(','),
    port,
    client: (options) => new Cluster(seeds, options),
    masters: async () => (await script('masters')).split('\n').filter(Boolean).map(Number),
    kill: async (node) => void (await script('kill', String(node))),
    pause: async (node) => void (await script('pause', String(node))),
    resume: async (node) => void (await script('resume', String(node))),
    replicaOf: async (node) => {
      // CLUSTER NODES as the master sees it: "<id> <host:port@bus> <flags> <master id> …"
      const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port(node)), 'cluster', 'nodes']);
      const lines = stdout.split('\n').map((line) => line.split(' '));
      const id = lines.find((fields) => fields[2]?.includes('myself'))![0];
      const replica = lines.find((fields) => fields[3] === id)!;
      return Number(replica[1]!.split('@')[0]!.split(':')[1]) - base + 1;
    },
    start: async (node) => void (await script('start', String(node))),
    status: () => script('status'),
    remove,
  };
}
