import 'reflect-metadata';
import { Argument, Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { freePort } from '../../tests/support/free-port.js';
import { startPrivateRedis } from '../load/private-stores.js';
import { startNode } from '../load/processes.js';
import { galeraMissing } from '../app-hosts.js';
import { HOSTS_SALE_FAULTS, SCENARIOS } from './arenas.js';
import { formatFaultTable } from './fault-table.js';
import { RECOVERY_GOAL_MS, summarize, type FaultSummary } from './fault-report.js';
import type { FaultRun } from './fault-run.js';
import { runFault } from './fault-run.js';
import { runHostsSale } from './hosts-sale.js';
import { HOSTS_FAULTS } from './hosts-faults.js';
import { checkSale } from './sale-check.js';

const program = new Command('npm run chaos --')
  .description('Injects faults into a running sale, one at a time, and prints what buyers saw')
  .addArgument(new Argument('<fault...>').choices([...SCENARIOS.keys()]))
  .option('--buyers <n>', 'concurrent buyers (each holding and confirming one seat at a time; on a queued show each admission)', Number, 24)
  .option('--seats <n>', 'seats of the show on sale', Number, 4000)
  .option('--before <seconds>', 'buying before the fault', Number, 5)
  .option('--during <seconds>', 'the fault in place (none for a fault that heals itself, a failover)', Number, 8)
  .option('--direct', "the app hosts' sale without its waiting room: buyers hold and confirm at once")
  .option('--after <seconds>', 'buying after the fault is healed (the fault window lasts 10 s past the heal)', Number, 14)
  .option(
    '--galera',
    "the app hosts' sale on a 3-node Galera cluster behind HAProxy (the default where galera-4 and haproxy are installed)",
  )
  .option('--no-galera', "the app hosts' sale on one private MariaDB")
  .option('--fresh', 'each app hosts fault in a sale and arena of its own (one row each), not one after another in one sale');

program.parse();
const options = program.opts<{
  buyers: number;
  seats: number;
  before: number;
  during: number;
  after: number;
  direct?: boolean;
  galera?: boolean;
  fresh?: boolean;
}>();
const rows = [];
const settings = new Set<string>();
const galera = options.galera ?? galeraMissing() === undefined;
const hostsFaults = new Set(HOSTS_FAULTS.map((fault) => fault.name));
// the app hosts' faults (and the Galera writer's, when that sale runs on Galera) are killed one after another in one sale
const inSale =
  options.fresh || !program.args.some((name) => hostsFaults.has(name))
    ? []
    : program.args.filter((name) => hostsFaults.has(name) || (galera && HOSTS_SALE_FAULTS.has(name)));
if (new Set(inSale).size < inSale.length) program.error('each fault at most once in one sale (--fresh: a sale of its own for each)');
const saleReport = inSale.length > 0 ? await runHostsSale(inSale, { ...options, galera }) : undefined;
if (saleReport) settings.add(saleReport.setting);
for (const name of program.args.filter((name) => !inSale.includes(name))) {
  const { fault, arena } = SCENARIOS.get(name)!;
  console.error(`${name}: ${fault.description}`);
  const redis = await startPrivateRedis();
  try {
    const { sale, target, remove, baseUrl, setting, queue } = await arena({
      redisUrl: redis.url,
      buyers: options.buyers,
      seats: options.seats,
      direct: options.direct,
      galera,
    });
    try {
      const server = baseUrl
        ? { url: baseUrl, stop: async () => undefined }
        : await startNode('src/main.ts', { ...sale.env, LOG_LEVEL: 'warn', WORKERS: '1' }, await freePort(), '/health/ready');
      settings.add(setting ?? 'one server process on a private MariaDB (or a 3-node Galera cluster behind HAProxy) and Redis');
      const inspect = sale.inspect();
      try {
        const run = await runFault({
          fault,
          target,
          baseUrl: server.url,
          showId: sale.showId,
          seats: sale.seats,
          buyers: sale.buyers,
          beforeSeconds: options.before,
          faultSeconds: fault.selfHealing ? 0 : options.during,
          afterSeconds: options.after,
          queue,
        });
        const check = await checkSale(inspect, server.url, sale.showId, sale.buyers, run.confirms);
        const off = { seatMapExtra: check.seatMapExtra, seatMapMissing: check.seatMapMissing, missingFromMember: check.missingFromMember };
        if (Object.values(off).some((list) => list.length > 0)) {
          console.error(
            `${name}: read models off after 10 s: ${Object.entries(off)
              .map(([what, list]) => `${what} ${list.length}`)
              .join(', ')}`,
          );
        }
        const summary = summarize(run);
        // CHAOS_DUMP=<folder>: each run's answers, probes and lease samples as JSON, for a closer look
        if (process.env.CHAOS_DUMP)
          writeFileSync(path.join(process.env.CHAOS_DUMP, `${name}-${rows.length + 1}.json`), JSON.stringify(run));
        const outside = outsideTheWindow(run, summary);
        if (outside.length > 0) console.error(`${name}: 5xx or unanswered outside the fault's window: ${outside.join(', ')}`);
        rows.push({ summary, check });
      } finally {
        await inspect.destroy();
        await server.stop();
      }
    } finally {
      await remove();
    }
  } finally {
    await redis.stop();
  }
}
if (saleReport) console.log(`\n${saleReport.report}`);
if (rows.length > 0) console.log(`\n${formatFaultTable(rows)}`);
const timing = [
  saleReport &&
    `in the app hosts' sale the first kill after ${options.before} s, each next and the end ${options.after} s after the one before`,
  rows.length > 0 && `fault ${options.during} s after ${options.before} s, then ${options.after} s`,
].filter(Boolean);
console.log(
  `\n${options.buyers} buyers, ${timing.join('; ')} ` +
    `(the fault's window: from the injection to ${RECOVERY_GOAL_MS / 1000} s after the heal); ` +
    `${[...settings].join('; ')}; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()[0]!.toFixed(2)}, ${new Date().toISOString()}`,
);
process.exit(0);

/** Each failure outside the window as `<status> <op> sent at <s> (<ms> ms)`, for the log. */
function outsideTheWindow(run: FaultRun, summary: FaultSummary): string[] {
  return run.answers
    .filter((a) => a.status === 0 || a.status >= 500)
    .filter((a) => a.at < summary.window.from * 1000 || a.at - a.ms >= summary.window.to * 1000)
    .map((a) => `${a.status} ${a.op} sent at ${((a.at - a.ms) / 1000).toFixed(2)} s (${Math.round(a.ms)} ms)`);
}
