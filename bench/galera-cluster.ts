import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { freePortRun } from '../tests/support/free-port.js';
import { startScriptedCluster } from './scripted-cluster.js';

const SCRIPT = path.resolve(import.meta.dirname, '../ops/galera/cluster.sh');

export interface GaleraCluster {
  /** The writer path (HAProxy): `mysql://root@127.0.0.1:PORT`. */
  writerUrl: string;
  /** Node n's own SQL port (1..3). */
  nodeUrl(node: number): string;
  /** The node HAProxy sends writes to now (1..3). */
  writer(): Promise<number>;
  /** SIGKILL node n (`cluster.sh kill n`). */
  kill(node: number): Promise<void>;
  /** Starts node n again; it rejoins and catches up (`cluster.sh start n`). */
  start(node: number): Promise<void>;
  /** `cluster.sh status`. */
  status(): Promise<string>;
  /** A database on the cluster (created on the writer, replicated), with its URL through the writer. */
  createDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }>;
  /** Runs one statement as root on node n (0: the writer). */
  sql<T = unknown>(node: number, statement: string, bindings?: readonly unknown[]): Promise<T>;
  /** Stops HAProxy and the nodes cleanly and deletes their data (also done when the process exits). */
  remove(): Promise<void>;
}

/**
 * A 3-node Galera cluster with HAProxy in front, through ops/galera/cluster.sh, in a temporary
 * directory on free ports (about 20 s): for the Galera tests and the `--galera` benchmarks.
 * `listen`: another address HAProxy's writer port listens on (ops/hosts' gateway, for app hosts).
 */
export async function startGaleraCluster(options: { listen?: string } = {}): Promise<GaleraCluster> {
  // Ports BASE .. BASE+33: the writer at BASE, node n at BASE+10n (+1 group communication, +2 IST, +3 SST).
  const base = await freePortRun(34);
  const { script, remove } = await startScriptedCluster({
    script: SCRIPT,
    prefix: 'onsale-galera-',
    env: (dir) => ({ GALERA_DIR: dir, GALERA_BASE_PORT: String(base), GALERA_WRITER_LISTEN: options.listen ?? '' }),
    timeoutMs: 120_000,
    // GALERA_KEEP=1 keeps the nodes' logs and data after the cluster is stopped, to see what went wrong
    keep: process.env.GALERA_KEEP === '1',
  });
  const url = (port: number) => `mysql://root@127.0.0.1:${port}`;
  const sql = <T>(node: number, statement: string, bindings: readonly unknown[] = []) =>
    withRoot(base + 10 * node, (knex) => knex.raw(statement, bindings as Knex.RawBinding[]).then(([rows]) => rows as T));
  return {
    writerUrl: url(base),
    nodeUrl: (node) => url(base + 10 * node),
    writer: async () => {
      const rows = await sql<{ name: string }[]>(0, 'SELECT @@wsrep_node_name AS name');
      return Number(rows[0]!.name.replace('node', ''));
    },
    kill: async (node) => void (await script('kill', String(node))),
    start: async (node) => void (await script('start', String(node))),
    status: () => script('status'),
    sql,
    createDatabase: async (prefix) => {
      const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(16).slice(2, 8)}`;
      await sql(0, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      // Replicated in total order, but applied on each node a moment later: a client connecting to
      // another node straight away could still find no such database. wsrep_sync_wait makes each
      // node catch up with the cluster before it answers.
      for (const node of [1, 2, 3]) {
        await sql(node, 'SET STATEMENT wsrep_sync_wait = 1 FOR SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
          name,
        ]).catch(() => undefined); // a node that is down catches up when it rejoins
      }
      return {
        name,
        url: `${url(base)}/${name}`,
        drop: async () => void (await sql(0, `DROP DATABASE IF EXISTS \`${name}\``)),
      };
    },
    remove,
  };
}

async function withRoot<T>(port: number, use: (knex: Knex) => Promise<T>): Promise<T> {
  const knex = knexFactory({
    client: 'mysql2',
    connection: { host: '127.0.0.1', port, user: 'root', connectTimeout: 2000 },
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 3000,
  });
  try {
    return await use(knex);
  } finally {
    await knex.destroy();
  }
}
