import type { CrowdLayout, CrowdOptions } from './crowd-layout.js';
import type { MemberRecord } from './crowd-protocol.js';

/** A member the queue admitted (MembersAdmitted), in admission order. */
export interface Admitted {
  memberId: string;
  at: number;
}

/** Once a second: the server's RSS and CPU, and the crowd as the clients see it. */
export interface Sample {
  at: number;
  rssKb: number;
  /** The server processes' CPU seconds so far. */
  cpuSeconds: number;
  waiting: number;
  joined: number;
  streams: number;
}

export interface CrowdInputs {
  records: MemberRecord[];
  admitted: Admitted[];
  samples: Sample[];
  rssBefore: number;
  startAt: number;
  joinEnd: number;
  endAt: number;
  /** When admissions were paused for the still window (--still-seconds), if they were. */
  stillFrom?: number;
  options: CrowdOptions;
  maxActive: number;
  /** Share of the run (from the first join) with every place taken. */
  fullShare: number;
}

export interface CrowdFigures {
  members: number;
  joined: number;
  errors: number;
  joinP99: number;
  joinSpanS: number;
  streamsOpenS?: number;
  streamP99?: number;
  rssGrowthMb: number;
  kbPerWaiter: number;
  waitingWindowS: number;
  averageWaiting: number;
  cpuUsPerWaiterSecond: number;
  coresPer100k: number;
  /** The same with admissions paused (nothing changes), from 2 s after the pause took effect to the end. */
  still?: {
    windowS: number;
    averageWaiting: number;
    cpuUsPerWaiterSecond: number;
    coresPer100k: number;
    cores: number;
    /** The server's RSS growth (its median in the window, less before the crowd) ÷ those waiting: memory once the burst's garbage is collected. */
    kbPerWaiter: number;
  };
  admitted: number;
  knownP50: number;
  knownP99: number;
  knownMax: number;
  lost: number;
  pace: number;
  firstSecond: number;
  inversions: number;
  maxActive: number;
  fullShare: number;
  bought: number;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The table's figures from the members' records, the recorded admissions and the server samples. */
export function crowdFigures(inputs: CrowdInputs): CrowdFigures {
  const { records, admitted, samples } = inputs;
  const joined = records.filter((r) => r.joinAt > 0);
  const byId = new Map(records.map((r) => [r.memberId, r]));
  const streams = records.filter((r) => r.streamAt > 0);
  const firstSent = Math.min(...joined.map((r) => r.joinSentAt));
  // the waiting window: from 2 s after every join was answered (or the last was due) to the end,
  // or to the pause; the still window from 2 s after the pause took effect (the last buyers done) to the end
  const settled = samples.find((s) => s.at >= inputs.joinEnd && s.joined >= joined.length)?.at ?? inputs.joinEnd;
  const moving = cpuOver(samples, settled + 2000, inputs.stillFrom ?? inputs.endAt);
  const stillCpu = inputs.stillFrom ? cpuOver(samples, inputs.stillFrom + 2000, inputs.endAt) : undefined;
  const stillRss = percentile(
    samples.filter((s) => inputs.stillFrom && s.at >= inputs.stillFrom + 2000 && s.at <= inputs.endAt).map((s) => s.rssKb),
    50,
  );
  const still = stillCpu && { ...stillCpu, kbPerWaiter: (stillRss - inputs.rssBefore) / Math.max(1, stillCpu.averageWaiting) };
  const peakRss = Math.max(...samples.filter((s) => s.at >= inputs.joinEnd).map((s) => s.rssKb));
  const known = admitted.flatMap((a) => {
    const record = byId.get(a.memberId);
    return record && record.knownAt > 0 ? [record.knownAt - a.at] : [];
  });
  const lost = admitted.filter((a) => {
    const record = byId.get(a.memberId);
    return a.at < inputs.endAt - 3000 && (!record || (record.knownAt === 0 && !record.error));
  }).length;
  const firstAt = admitted[0]?.at ?? inputs.endAt;
  return {
    members: records.length,
    joined: joined.length,
    // a buyer told of the admission who neither bought nor was refused by the end counts too
    errors: records.filter((r) => r.error || r.joinAt === 0 || (inputs.options.buy && r.knownAt > 0 && r.boughtAt === 0)).length,
    joinP99: percentile(
      joined.map((r) => r.joinAt - r.joinSentAt),
      99,
    ),
    joinSpanS: (Math.max(...joined.map((r) => r.joinAt)) - firstSent) / 1000,
    ...(streams.length > 0
      ? {
          streamsOpenS: (Math.max(...streams.map((r) => r.streamAt)) - firstSent) / 1000,
          streamP99: percentile(
            streams.map((r) => r.streamAt - r.joinSentAt),
            99,
          ),
        }
      : {}),
    rssGrowthMb: (peakRss - inputs.rssBefore) / 1024,
    kbPerWaiter: (peakRss - inputs.rssBefore) / Math.max(1, joined.length),
    waitingWindowS: moving.windowS,
    averageWaiting: moving.averageWaiting,
    cpuUsPerWaiterSecond: moving.cpuUsPerWaiterSecond,
    coresPer100k: moving.coresPer100k,
    ...(still ? { still } : {}),
    admitted: admitted.length,
    knownP50: percentile(known, 50),
    knownP99: percentile(known, 99),
    knownMax: Math.max(...known),
    lost,
    pace: admitted.filter((a) => a.at < inputs.endAt).length / Math.max(0.001, (inputs.endAt - firstAt) / 1000),
    firstSecond: admitted.filter((a) => a.at < firstAt + 1000).length,
    inversions: inversions(admitted, byId),
    maxActive: inputs.maxActive,
    fullShare: inputs.fullShare,
    bought: records.filter((r) => r.boughtAt > 0).length,
  };
}

/** The server's CPU over [from, to] per member-second of waiting (the clients' count, integrated). */
function cpuOver(samples: Sample[], from: number, to: number) {
  const window = samples.filter((s) => s.at >= from && s.at <= to);
  let waiterSeconds = 0;
  for (let i = 1; i < window.length; i++)
    waiterSeconds += ((window[i]!.waiting + window[i - 1]!.waiting) / 2) * ((window[i]!.at - window[i - 1]!.at) / 1000);
  const cpuUs = window.length > 1 ? (window.at(-1)!.cpuSeconds - window[0]!.cpuSeconds) * 1e6 : 0;
  const windowS = window.length > 1 ? (window.at(-1)!.at - window[0]!.at) / 1000 : 0;
  const perWaiterSecond = waiterSeconds > 0 ? cpuUs / waiterSeconds : NaN;
  return {
    windowS,
    averageWaiting: windowS > 0 ? waiterSeconds / windowS : 0,
    cpuUsPerWaiterSecond: perWaiterSecond,
    coresPer100k: (perWaiterSecond * 100_000) / 1e6,
    /** What the server used, all processes, in cores. */
    cores: windowS > 0 ? cpuUs / 1e6 / windowS : NaN,
  };
}

/**
 * Members overtaken: admitted after someone who started joining only once they had their answer
 * (so whose place was surely behind theirs), or still waiting at the end behind such a member.
 */
function inversions(admitted: Admitted[], byId: Map<string, MemberRecord>): number {
  let latestStart = 0;
  let overtaken = 0;
  const seen = new Set<string>();
  for (const { memberId } of admitted) {
    const record = byId.get(memberId);
    seen.add(memberId);
    if (!record || record.joinAt === 0) continue;
    if (latestStart > record.joinAt) overtaken++;
    latestStart = Math.max(latestStart, record.joinSentAt);
  }
  for (const record of byId.values()) {
    if (seen.has(record.memberId) || record.joinAt === 0 || record.error) continue;
    if (latestStart > record.joinAt) overtaken++;
  }
  return overtaken;
}

const f = (value: number | undefined, digits = 0) => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));

export function formatCrowd(
  x: CrowdFigures,
  context: { options: CrowdOptions; layout: CrowdLayout; loadAverage: string; reasons: Record<string, number> },
): string {
  const { options, layout } = context;
  const rows: [string, string][] = [
    ['members (joined / asked)', `${x.joined} / ${x.members}`],
    [
      'errors',
      `${x.errors}${
        Object.keys(context.reasons).length
          ? ` (${Object.entries(context.reasons)
              .map(([k, v]) => `${k} ×${v}`)
              .join(', ')})`
          : ''
      }`,
    ],
    ['join p99 (ms); all answered within (s)', `${f(x.joinP99)}; ${f(x.joinSpanS, 1)}`],
    ...(x.streamsOpenS !== undefined
      ? ([['streams open: all within (s); join → stream p99 (ms)', `${f(x.streamsOpenS, 1)}; ${f(x.streamP99)}`]] as [string, string][])
      : []),
    ['server RSS growth at its peak (MB) ÷ members = KB per waiter', `${f(x.rssGrowthMb)} MB → **${f(x.kbPerWaiter, 1)} KB**`],
    [
      'server CPU per waiter-second (µs); 100,000 waiting cost (cores)',
      `${f(x.cpuUsPerWaiterSecond, 1)} µs; ${f(x.coresPer100k, 2)} (over ${f(x.waitingWindowS)} s, ${f(x.averageWaiting)} waiting on average)`,
    ],
    ...(x.still
      ? ([
          [
            'server RSS growth while still (median) ÷ those waiting = KB per waiter',
            `${f((x.still.kbPerWaiter * x.still.averageWaiting) / 1024)} MB → **${f(x.still.kbPerWaiter, 1)} KB**`,
          ],
          [
            'the same with admissions paused, nothing changing (µs; cores)',
            `${f(x.still.cpuUsPerWaiterSecond, 1)} µs; **${f(x.still.coresPer100k, 2)}** (the server used ${f(x.still.cores, 2)} cores over ${f(x.still.windowS)} s, ${f(x.still.averageWaiting)} waiting on average)`,
          ],
        ] as [string, string][])
      : []),
    [
      'admitted; admission → member knows p50 / p99 / max (ms)',
      `${x.admitted}; ${f(x.knownP50)} / **${f(x.knownP99)}** / ${f(x.knownMax)}`,
    ],
    ['admitted but never told (lost)', String(x.lost)],
    [
      'admission pace (per s) vs configured; in the first second',
      `${f(x.pace)} vs ${options.admitPerSecond}; ${x.firstSecond}; every place taken ${f(x.fullShare * 100)} % of the time`,
    ],
    ['order inversions', String(x.inversions)],
    ['max active vs maxActive', `${x.maxActive} vs ${options.maxActive}`],
    ['bought', String(x.bought)],
  ];
  return [
    `crowd, ${options.wait === 'sse' ? (options.streamUpgrade ? 'SSE (Upgrade: onsale-events)' : 'SSE (Koa)') : 'long poll'}: ${options.members} members, ${layout.workers} server workers${layout.waitingRoom ? ` and ${layout.waitingRoom} waiting-room processes (the crowd's)` : ''} × ${layout.listeners} ports, ${layout.clients} client processes, ${layout.sourceAddresses.length} source addresses, holds on ${options.bookingDoor ? 'a booking port a worker' : 'the crowd’s ports'}; joins over ${options.joinSeconds} s, then ${options.waitSeconds} s waiting; load average ${context.loadAverage}`,
    '',
    '| figure | value |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ].join('\n');
}
