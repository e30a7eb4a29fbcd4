import type { Fault } from './fault.js';

/** What the Galera faults need of a cluster (tests/support/galera.ts, ops/galera/cluster.sh). */
export interface GaleraUnderTest {
  /** The node the writer path (HAProxy) sends writes to now. */
  writer(): Promise<number>;
  kill(node: number): Promise<void>;
}

/** The nodes each run killed, in order: the caller starts them again (they rejoin by IST or SST). */
export const killedNodes = new WeakMap<GaleraUnderTest, number[]>();

/**
 * The writer node is killed (SIGKILL) and nothing is done to heal it: HAProxy sees it fail its Synced
 * check and sends new connections to the next Synced node, so the fault heals itself and the run
 * times bookings from the kill.
 */
export const writerKill: Fault<GaleraUnderTest> = {
  name: 'galera-writer-kill',
  description: 'the Galera writer node is killed (SIGKILL); HAProxy fails over to a Synced node by itself',
  selfHealing: true,
  inject: async (cluster) => {
    const node = await cluster.writer();
    await cluster.kill(node);
    killedNodes.set(cluster, [...(killedNodes.get(cluster) ?? []), node]);
  },
  heal: async () => undefined,
};
