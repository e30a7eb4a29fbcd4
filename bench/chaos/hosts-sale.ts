import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { appHosts, HOSTS_SALE_FAULTS } from './arenas.js';
import { RECOVERY_GOAL_MS, summarize } from './fault-report.js';
import { runFaults, sliceKill, type FaultRun, type SaleRun } from './fault-run.js';
import { formatKillTable } from './kill-table.js';
import { checkSale } from './sale-check.js';

export interface HostsSaleOptions {
  buyers: number;
  seats: number;
  before: number;
  during: number;
  after: number;
  direct?: boolean;
  galera: boolean;
}

/**
 * One flash sale through Nginx over the 3 app hosts, the Redis Cluster and (`galera`) the Galera
 * cluster, during which the named faults are injected one at a time, each `after` seconds after the
 * one before; the sale is checked once at its end (store, seat map, members' reservations). Returns
 * the report: one table per kill, then the whole sale's line, and the setting.
 */
export async function runHostsSale(names: string[], options: HostsSaleOptions): Promise<{ report: string; setting: string }> {
  const faults = names.map((name) => HOSTS_SALE_FAULTS.get(name)!);
  for (const fault of faults) console.error(`${fault.name}: ${fault.description}`);
  const { sale, target, remove, baseUrl, setting, queue } = await startArena(options);
  try {
    const inspect = sale.inspect();
    try {
      const run = await runFaults({
        faults,
        target,
        baseUrl: baseUrl!,
        showId: sale.showId,
        seats: sale.seats,
        buyers: sale.buyers,
        beforeSeconds: options.before,
        faultSeconds: 0,
        afterSeconds: options.after,
        queue,
      });
      const check = await checkSale(inspect, baseUrl!, sale.showId, sale.buyers, run.confirms);
      // CHAOS_DUMP=<folder>: the sale's answers, probes, lease samples and kill marks as JSON
      if (process.env.CHAOS_DUMP) writeFileSync(path.join(process.env.CHAOS_DUMP, `hosts-sale-${Date.now()}.json`), JSON.stringify(run));
      const tables = run.kills.map((kill, k) => {
        const slice = sliceKill(run, k);
        const pause = longestPause(run, k);
        const summary = { ...summarize(slice), longestGapSeconds: pause.seconds };
        for (const line of outsideTheWindow(slice, slice.offset)) console.error(`${kill.fault}: outside the window: ${line}`);
        return `**${kill.fault}**: ${kill.description}\n\n${formatKillTable(slice, summary, check, slice.offset, pause.open)}`;
      });
      const seen = new Set(run.confirms.map((c) => c.reservationId));
      const whole =
        `The whole sale: ${run.confirms.length} confirms seen by buyers, ${check.stored} reservations in the store ` +
        `(${check.stored - (seen.size - check.lostConfirms.length)} stored and never seen), ${check.lostConfirms.length} lost, ` +
        `${check.missingFromMember.length} missing from members' reservations, ${check.soldTwice.length} seats sold twice, ` +
        `seat map off by ${check.seatMapExtra.length + check.seatMapMissing.length} seats (after up to 10 s).`;
      return { report: [...tables, whole].join('\n\n'), setting: setting! };
    } finally {
      await inspect.destroy();
    }
  } finally {
    await remove();
  }
}

/** The arena, tried a second time when the first start fails (each start removes what it left). */
async function startArena(options: HostsSaleOptions) {
  try {
    return await appHosts({ redisUrl: '', ...options });
  } catch (error) {
    console.error('the arena did not start; once more:', error);
    return appHosts({ redisUrl: '', ...options });
  }
}

/**
 * The longest time without a confirmed booking from kill `k` to the next kill (the sale's end for the
 * last); `open`: it was still running then, so the pause lasted at least that long (past the next
 * kill, whose own pause it then shares).
 */
export function longestPause(run: SaleRun, k: number): { seconds: number; open: boolean } {
  const { injected, ended } = run.kills[k]!.marks;
  const to = run.kills[k + 1]?.marks.injected ?? ended;
  const within = run.answers
    .filter((a) => a.op === 'confirm' && a.status === 201 && a.at > injected && a.at < to)
    .map((a) => a.at)
    .sort((a, b) => a - b);
  const times = [injected, ...within, to];
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return { seconds: Math.round(longest / 10) / 100, open: to - times.at(-2)! === longest };
}

/** Each failure after the window, or before the kill, as `<status> <op> sent at <s> (<ms> ms)`, times in the sale's seconds. */
function outsideTheWindow(run: FaultRun, offset: number): string[] {
  const windowEnd = run.marks.healed + RECOVERY_GOAL_MS;
  return run.answers
    .filter((a) => a.status === 0 || a.status >= 500)
    .filter((a) => a.at < run.marks.injected || a.at - a.ms >= windowEnd)
    .map((a) => `${a.status} ${a.op} sent at ${((a.at - a.ms + offset) / 1000).toFixed(2)} s (${Math.round(a.ms)} ms)`);
}
