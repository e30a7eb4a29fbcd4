import net from 'node:net';
import { expect } from 'chai';
import { Cluster } from 'ioredis';
import { seedSale } from '../../../src/infrastructure/cli/seed.command.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { clusterReady } from '../../../src/infrastructure/redis/cluster-ready.js';
import { startServer, type RunningServer } from '../../../src/infrastructure/server.js';
import { redisCluster, type RedisCluster } from '../../support/redis-cluster.js';
import { tempDataDir } from '../../support/temp-dir.js';

/** A seed node that answers only after `delayMs` (a slow network, a node still starting): a relay to `port`. */
async function lateSeed(port: number, delayMs: number): Promise<{ seed: string; close(): void }> {
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    sockets.add(client);
    client.pause();
    setTimeout(() => {
      const upstream = net.connect(port, '127.0.0.1');
      sockets.add(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    }, delayMs);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    seed: `127.0.0.1:${(relay.address() as net.AddressInfo).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      relay.close();
    },
  };
}

describe('start-up on a Redis Cluster whose client is not ready yet', function () {
  this.timeout(90_000);
  let cluster: RedisCluster;
  const logger = createLogger('silent');

  before(async function () {
    cluster = await redisCluster(this);
  });

  it('when a command is sent before the client has read the slot map, then it is refused; once ready (clusterReady), it answers', async () => {
    const late = await lateSeed(cluster.port(1), 1000);
    // as connectRedis makes it: no offline queue, 2 s to read the slot map
    const client = new Cluster([late.seed], { enableOfflineQueue: false, lazyConnect: false, slotsRefreshTimeout: 2000 });
    client.on('error', () => undefined);
    try {
      const early = await client.set('onsale:test:early', '1').catch((error: Error) => error);
      expect(String(early)).to.match(/Cluster isn't ready|Connection is closed/);
      expect(await clusterReady(client, 10_000, logger)).to.equal(true);
      expect(await client.set('onsale:test:early', '1')).to.equal('OK');
    } finally {
      client.disconnect();
      late.close();
    }
  });

  /** A DATA_DIR with one open hold in it, made by a server on the real cluster (stopped again). */
  async function dataWithAnOpenHold() {
    const data = tempDataDir();
    const env = { DATA_DIR: data.dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', REDIS_CLUSTER_NODES: cluster.nodes };
    const seeded = await seedSale(loadConfig(env), { members: 1, shows: ['reserved'], seats: 10 });
    const server = await startServer(loadConfig(env), logger);
    try {
      const [show, member] = [seeded.shows[0]!, seeded.members[0]!];
      const hold = await fetch(`http://127.0.0.1:${server.port}/api/shows/${show.id}/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${member.accessToken}`, 'idempotency-key': 'k-1' },
        body: JSON.stringify({ seats: [show.seats[0]] }),
      });
      expect(hold.status, await hold.clone().text()).to.equal(201);
    } finally {
      await server.close();
    }
    return { data, env };
  }

  it('when the server restarts with open holds while the cluster answers late, then it starts and is ready (no restart needed)', async () => {
    const { data, env } = await dataWithAnOpenHold();
    const late = await lateSeed(cluster.port(2), 1500);
    let server: RunningServer | undefined;
    try {
      // start-up feeds the open hold to the hold deadlines in Redis, through a client still connecting
      server = await startServer(loadConfig({ ...env, REDIS_CLUSTER_NODES: late.seed }), logger);
      expect((await fetch(`http://127.0.0.1:${server.port}/health/ready`)).status).to.equal(200);
    } finally {
      await server?.close();
      late.close();
      data.remove();
    }
  });

  it('when no cluster node answers within REDIS_CLUSTER_READY_TIMEOUT_MS, then the server starts unready (503) instead of exiting', async () => {
    const { data, env } = await dataWithAnOpenHold();
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const seed = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    let server: RunningServer | undefined;
    try {
      const startedAt = Date.now();
      server = await startServer(loadConfig({ ...env, REDIS_CLUSTER_NODES: seed, REDIS_CLUSTER_READY_TIMEOUT_MS: '500' }), logger);
      expect(Date.now() - startedAt, 'waited about the bound').to.be.at.least(500);
      const ready = await fetch(`http://127.0.0.1:${server.port}/health/ready`);
      expect(ready.status).to.equal(503);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks.redis).to.match(/^down/);
    } finally {
      await server?.close();
      silent.close();
      data.remove();
    }
  });
});
