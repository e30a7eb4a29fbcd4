import 'reflect-metadata';
import { Command } from 'commander';
import { cpus, loadavg } from 'node:os';
import { freePort } from '../tests/support/free-port.js';
import { startPrivateMariadb } from '../tests/support/private-mariadb.js';
import { appHostsMissing, startAppHosts } from './app-hosts.js';
import { BuyerCrowd, type Buyer } from './chaos/buyers.js';
import { prepareDatabaseSale } from './chaos/database-sale.js';
import { startPrivateRedis } from './load/private-stores.js';
import { startNginx, startNode } from './load/processes.js';

const program = new Command('npm run bench:hosts --')
  .description(
    'The same flash sale (buyers holding and confirming one seat at a time) on 1 host + 1 Redis, then on 3 hosts + a Redis Cluster',
  )
  .option('--buyers <n>', 'concurrent buyers', Number, 24)
  .option('--seats <n>', 'seats of the show', Number, 4000)
  .option('--seconds <n>', 'buying time per setting (after 2 s of warm-up)', Number, 10);
program.parse();
const options = program.opts<{ buyers: number; seats: number; seconds: number }>();

const missing = appHostsMissing();
if (missing) {
  console.error(`cannot run app hosts here: ${missing}`);
  process.exit(2);
}

const noSkip = { skip: () => Promise.reject(new Error('no MariaDB server binaries')) } as unknown as Mocha.Context;

/** Confirms per second through `baseUrl`, after a warm-up that is not counted. */
async function sale(baseUrl: string, showId: string, seats: string[], buyers: Buyer[]) {
  const startedAt = performance.now();
  const crowd = new BuyerCrowd({ baseUrl, showId, seats, buyers, startedAt });
  crowd.start();
  await new Promise((resolve) => setTimeout(resolve, (2 + options.seconds) * 1000));
  await crowd.stop();
  const counted = crowd.answers.filter((a) => a.at >= 2000 && a.at < (2 + options.seconds) * 1000);
  const confirms = counted.filter((a) => a.op === 'confirm' && a.status === 201);
  const ms = confirms.map((a) => a.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const answer of counted) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  return {
    perSecond: confirms.length / options.seconds,
    p50: ms[Math.floor(ms.length * 0.5)] ?? 0,
    p99: ms[Math.floor(ms.length * 0.99)] ?? 0,
    statuses,
  };
}

const results: { setting: string; perSecond: number; p50: number; p99: number; statuses: Record<string, number> }[] = [];

{
  const database = await startPrivateMariadb(noSkip);
  const redis = await startPrivateRedis();
  try {
    const prepared = await prepareDatabaseSale(database, { redisUrl: redis.url, buyers: options.buyers, seats: options.seats });
    const server = await startNode(
      'src/main.ts',
      { ...prepared.env, LOG_LEVEL: 'warn', WORKERS: '1', TRUST_PROXY_HOPS: '1' },
      await freePort(),
      '/health/ready',
    );
    const nginx = await startNginx(Number(new URL(server.url).port));
    try {
      results.push({
        setting: '1 host (onsale WORKERS=1) + 1 Redis, through Nginx',
        ...(await sale(nginx.url, prepared.showId, prepared.seats, prepared.buyers)),
      });
    } finally {
      nginx.stop();
      await server.stop();
    }
  } finally {
    await redis.stop();
    await database.remove();
  }
}
{
  const hosts = await startAppHosts({ buyers: options.buyers, seats: options.seats });
  try {
    results.push({
      setting: '3 hosts in network namespaces (WORKERS=1 each) + Redis Cluster (3 masters, 3 replicas), through Nginx',
      ...(await sale(hosts.url, hosts.sale.showId, hosts.sale.seats, hosts.sale.buyers)),
    });
  } finally {
    await hosts.remove();
  }
}

const base = results[0]!.perSecond;
console.log('\n| setting | bookings/s | ratio | confirm p50 | confirm p99 | answers by status |');
console.log('| --- | ---: | ---: | ---: | ---: | --- |');
for (const r of results) {
  const statuses = Object.entries(r.statuses)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  console.log(
    `| ${r.setting} | ${r.perSecond.toFixed(1)} | ${(r.perSecond / base).toFixed(2)}x | ${r.p50.toFixed(0)} ms | ${r.p99.toFixed(0)} ms | ${statuses} |`,
  );
}
console.log(
  `\n${options.buyers} buyers, ${options.seconds} s counted after 2 s each, the same private MariaDB settings; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()[0]!.toFixed(2)}, ${new Date().toISOString()}`,
);
process.exit(0);
