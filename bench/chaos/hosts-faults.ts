import type { Fault } from './fault.js';
import { writerKill, type GaleraUnderTest } from './galera-faults.js';

/** What the faults of several app hosts need (bench/app-hosts.ts, ops/hosts/hosts.sh, ops/redis-cluster/cluster.sh). */
export interface HostsUnderTest {
  showId: string;
  /** The Redis Cluster node (1..6) that is master of the show's slot now. */
  masterOfShow(showId: string): Promise<number>;
  killRedisNode(node: number): Promise<void>;
  killHost(host: number): Promise<void>;
  /** The Galera cluster the hosts write to through HAProxy, when the sale runs on one. */
  galera?: GaleraUnderTest;
  /** What each run killed, for the arena to bring back before it removes everything. */
  killed: { redisNodes: number[]; hosts: number[] };
}

/**
 * The Redis master that holds the show's slot (its waiting room, hold deadlines, stream turns: every
 * key tagged {show:<id>}) is killed (SIGKILL); its replica is elected after the cluster's node
 * timeout (2 s here) and the Cluster client follows the new slot map by itself.
 */
export const redisMasterKill: Fault<HostsUnderTest> = {
  name: 'redis-master-kill',
  description: "the Redis Cluster master of the show's slot is killed (SIGKILL); its replica takes over by itself",
  selfHealing: true,
  inject: async (target) => {
    const node = await target.masterOfShow(target.showId);
    await target.killRedisNode(node);
    target.killed.redisNodes.push(node);
  },
  heal: async () => undefined,
};

/**
 * Every process of app host 2 is killed (SIGKILL) and its link taken down: Nginx finds its connections
 * refused or timing out, passes over it and sends its members to the other two (member-sticky hashing
 * moves only the dead host's members).
 */
export const appHostKill: Fault<HostsUnderTest> = {
  name: 'app-host-kill',
  description: 'app host 2 loses every process (SIGKILL) and its link; Nginx sends its members to hosts 1 and 3',
  selfHealing: true,
  inject: async (target) => {
    await target.killHost(2);
    target.killed.hosts.push(2);
  },
  heal: async () => undefined,
};

/** The Galera writer killed in the app hosts' sale (`galera-writer-kill` on the hosts' cluster). */
export const hostsWriterKill: Fault<HostsUnderTest> = {
  name: writerKill.name,
  description: writerKill.description,
  selfHealing: true,
  heal: async () => undefined,
  inject: async (target) => {
    if (!target.galera) throw new Error("galera-writer-kill in the app hosts' sale needs the sale on Galera (not --no-galera)");
    await writerKill.inject(target.galera);
  },
};

export const HOSTS_FAULTS = [redisMasterKill, appHostKill];
