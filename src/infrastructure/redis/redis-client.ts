import { Cluster, Redis } from 'ioredis';

/**
 * The one Redis client of a process, as the composition root hands it out: a single server
 * (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). Adapters take either; what differs on a
 * Cluster (a script's keys must share one hash slot, subscribers are duplicated differently) is
 * answered by the helpers here.
 */
export type RedisClient = Redis | Cluster;

export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster;
}

/**
 * A connection of its own for SUBSCRIBE (a subscribed connection can do nothing else), which waits
 * out an outage (offline queue, endless retries) and resubscribes by itself. On a Cluster, ioredis
 * subscribes through one node and moves to another when that node fails.
 */
export function subscriberOf(client: RedisClient): RedisClient {
  if (!isCluster(client)) return client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
  return client.duplicate(undefined, {
    enableOfflineQueue: true,
    lazyConnect: false,
    redisOptions: { ...client.options.redisOptions, maxRetriesPerRequest: null },
  });
}

/**
 * Splits the items of one multi-key command (a script, a DEL) into groups that may each go in one
 * command: all of them on one Redis (one atomic call, as always); each alone on a Cluster, where
 * keys of different names fall in different hash slots and one command may only touch one slot
 * (CROSSSLOT otherwise). An item's own keys must share a hash tag for that.
 */
export function sameSlotGroups<T>(client: RedisClient, items: T[]): T[][] {
  return isCluster(client) ? items.map((item) => [item]) : [items];
}
