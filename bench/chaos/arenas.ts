import { loadConfig } from '../../src/infrastructure/config/config.js';
import { redisNamespace } from '../../src/infrastructure/redis/redis-namespace.js';
import { startPrivateMariadb } from '../../tests/support/private-mariadb.js';
import { startAppHosts } from '../app-hosts.js';
import { startGaleraCluster } from '../galera-cluster.js';
import { DATABASE_FAULTS } from './database-faults.js';
import { prepareDatabaseSale, type DatabaseSale } from './database-sale.js';
import type { Fault } from './fault.js';
import { killedNodes, writerKill } from './galera-faults.js';
import { HOSTS_FAULTS, hostsWriterKill, type HostsUnderTest } from './hosts-faults.js';

/** Where a fault runs: the sale's database (a server of the run's own) and what the fault acts on. */
export interface Arena {
  sale: DatabaseSale;
  target: unknown;
  /** Where buyers go when the arena runs onsale itself (Nginx over the app hosts); else one server is started. */
  baseUrl?: string;
  /** One line for the report: what ran. */
  setting?: string;
  /** A queued show: buyers go through the waiting room, `slots` at a time (members taken in turn from the sale's). */
  queue?: { slots: number; maxActive: number; activeLeases(): Promise<number> };
  /** After the run: heal what the fault left broken (a killed Galera node rejoins), then remove it all. */
  remove(): Promise<void>;
}

export interface Scenario {
  fault: Fault<any>;
  /** A place of its own for the fault, with a sale of `buyers` members on `seats` seats. */
  /** `direct`: the app hosts' sale without its waiting room (buyers hold and confirm at once);
   * `galera`: the app hosts on a 3-node Galera cluster behind HAProxy instead of one MariaDB. */
  arena(options: { redisUrl: string; buyers: number; seats: number; direct?: boolean; galera?: boolean }): Promise<Arena>;
}

// the private MariaDB is skipped by tests when missing; here that is an error
const noSkip = {
  skip: () => {
    throw new Error('no MariaDB server binaries (mariadbd, mariadb-install-db)');
  },
} as unknown as Mocha.Context;

/** One private MariaDB server: faults that kill, stall or reconfigure it. */
const privateMariadb: Scenario['arena'] = async (options) => {
  const db = await startPrivateMariadb(noSkip);
  try {
    const sale = await prepareDatabaseSale(db, options);
    return { sale, target: { ...db, user: sale.user }, remove: () => db.remove() };
  } catch (error) {
    await db.remove();
    throw error;
  }
};

/** A 3-node Galera cluster with HAProxy in front (ops/galera/cluster.sh): onsale writes through HAProxy. */
const galeraCluster: Scenario['arena'] = async (options) => {
  const galera = await startGaleraCluster();
  try {
    const sale = await prepareDatabaseSale({ port: Number(new URL(galera.writerUrl).port), sql: (s) => galera.sql(0, s) }, options);
    return {
      sale,
      target: galera,
      remove: async () => {
        // the killed node rejoins before the cluster is stopped, as an operator would bring it back
        for (const node of killedNodes.get(galera) ?? []) await galera.start(node);
        console.error(await galera.status());
        await galera.remove();
      },
    };
  } catch (error) {
    await galera.remove();
    throw error;
  }
};

/** The waiting room of the app hosts' sale: fewer admitted at once than buyers, so that the cap binds. */
const HOSTS_QUEUE = { admitPerSecond: 40, maxActive: 10 };
/** Members per buying slot: each joins a few times a run, under the per-member join limit (10 a minute). */
const MEMBERS_PER_SLOT = 10;

/**
 * Three app hosts in network namespaces behind Nginx (ops/hosts/hosts.sh), on a Redis Cluster of 3
 * masters and 3 replicas (ops/redis-cluster/cluster.sh) and a private MariaDB or (`galera`) a 3-node
 * Galera cluster behind HAProxy: buyers go through Nginx and the show's waiting room (join, long poll,
 * admitted, hold with the token, confirm).
 */
export const appHosts: Scenario['arena'] = async (options) => {
  const queued = !options.direct;
  const hosts = await startAppHosts({
    buyers: queued ? options.buyers * MEMBERS_PER_SLOT : options.buyers,
    seats: options.seats,
    queue: queued ? HOSTS_QUEUE : undefined,
    // buyers send an address of their own (X-Forwarded-For) past Nginx: per-address join limits apply to each
    env: { TRUST_PROXY_HOPS: '2' },
    galera: options.galera,
  });
  const leasesKey = `onsale:${redisNamespace(loadConfig(hosts.sale.env))}:admission:{show:${hosts.sale.showId}}:leases`;
  const counter = hosts.cluster.client();
  const target: HostsUnderTest = {
    showId: hosts.sale.showId,
    masterOfShow: async (showId) => {
      const client = hosts.cluster.client();
      try {
        const slot = Number(await client.cluster('KEYSLOT', `{show:${showId}}`));
        const ranges = await client.cluster('SLOTS');
        const [, , master] = ranges.find(([from, to]) => from <= slot && slot <= to)!;
        const port = master![1];
        return [1, 2, 3, 4, 5, 6].find((node) => hosts.cluster.port(node) === port)!;
      } finally {
        client.disconnect();
      }
    },
    killRedisNode: (node) => hosts.cluster.kill(node),
    killHost: (host) => hosts.kill(host),
    galera: hosts.galera,
    killed: { redisNodes: [], hosts: [] },
  };
  return {
    sale: hosts.sale,
    target,
    baseUrl: hosts.url,
    setting:
      `Nginx over 3 app hosts in network namespaces (onsale WORKERS=1 each), a Redis Cluster of 3 masters and 3 replicas and ` +
      (hosts.galera ? 'a 3-node Galera cluster behind HAProxy; ' : 'a private MariaDB; ') +
      (queued
        ? `buyers through the waiting room (admitPerSecond ${HOSTS_QUEUE.admitPerSecond}, maxActive ${HOSTS_QUEUE.maxActive}, ${options.buyers * MEMBERS_PER_SLOT} members taken in turn)`
        : 'buyers straight to holds and confirms (--direct: no waiting room)'),
    queue: queued ? { slots: options.buyers, maxActive: HOSTS_QUEUE.maxActive, activeLeases: () => counter.zcard(leasesKey) } : undefined,
    remove: async () => {
      counter.disconnect();
      // the killed parts come back before it all stops, as an operator would bring them back
      try {
        for (const node of target.killed.redisNodes) await hosts.cluster.start(node);
        for (const host of target.killed.hosts) await hosts.start(host);
        for (const node of (hosts.galera && killedNodes.get(hosts.galera)) ?? []) await hosts.galera!.start(node);
        console.error(await hosts.status());
        if (hosts.galera) console.error(await hosts.galera.status());
      } catch (error) {
        console.error('the killed parts did not come back:', error);
      } finally {
        await hosts.remove();
      }
    },
  };
};

/** The faults one app hosts' sale takes one after another (`galera-writer-kill` when it runs on Galera). */
export const HOSTS_SALE_FAULTS = new Map([...HOSTS_FAULTS, hostsWriterKill].map((fault) => [fault.name, fault]));

export const SCENARIOS = new Map<string, Scenario>([
  ...DATABASE_FAULTS.map((fault): [string, Scenario] => [fault.name, { fault, arena: privateMariadb }]),
  [writerKill.name, { fault: writerKill, arena: galeraCluster }],
  ...HOSTS_FAULTS.map((fault): [string, Scenario] => [fault.name, { fault, arena: appHosts }]),
]);
