import { startPrivateMariadb } from '../../tests/support/private-mariadb.js';
import { startGaleraCluster } from '../galera-cluster.js';
import { DATABASE_FAULTS } from './database-faults.js';
import { prepareDatabaseSale, type DatabaseSale } from './database-sale.js';
import type { Fault } from './fault.js';
import { killedNodes, writerKill } from './galera-faults.js';

/** Where a fault runs: the sale's database (a server of the run's own) and what the fault acts on. */
export interface Arena {
  sale: DatabaseSale;
  target: unknown;
  /** After the run: heal what the fault left broken (a killed Galera node rejoins), then remove it all. */
  remove(): Promise<void>;
}

export interface Scenario {
  fault: Fault<any>;
  /** A place of its own for the fault, with a sale of `buyers` members on `seats` seats. */
  arena(options: { redisUrl: string; buyers: number; seats: number }): Promise<Arena>;
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

export const SCENARIOS = new Map<string, Scenario>([
  ...DATABASE_FAULTS.map((fault): [string, Scenario] => [fault.name, { fault, arena: privateMariadb }]),
  [writerKill.name, { fault: writerKill, arena: galeraCluster }],
]);
