import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A V8 CPU profile (`node --cpu-prof`), as much of it as the breakdown reads. */
interface CpuProfile {
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a booking's server CPU goes, in the terms the issue asks for. */
export const CATEGORIES = [
  'HTTP + validation',
  'auth (access token, session epoch)',
  'idempotency',
  'decide (booking core)',
  'append (event store, SQL driver)',
  'projections',
  'cache invalidation + read cache',
  'waiting room',
  'Redis (turns, deadlines, hints)',
  'metrics',
  'e-mail (outbox, QR images)',
  'logging',
  'garbage collection',
  'other (Node, unattributed)',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Not part of serving: module loading and TypeScript compilation at start-up, idle time. */
export const EXCLUDED = 'excluded';

/** Libraries whose frames are the category whatever called them. */
const LIBRARIES: [RegExp, Category][] = [
  [
    /node_modules\/(koa|@koa|koa-[a-z-]+|co-body|raw-body|http-errors|type-is|accepts|negotiator|on-finished|statuses|zod|ajv)\//,
    'HTTP + validation',
  ],
  [/^node:_http_|^node:internal\/http/, 'HTTP + validation'],
  [/node_modules\/jose\//, 'auth (access token, session epoch)'],
  [/node_modules\/prom-client\//, 'metrics'],
  [/node_modules\/(qrcode|pngjs|dijkstrajs|nodemailer)\//, 'e-mail (outbox, QR images)'],
  [/node_modules\/(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact)\//, 'logging'],
];

/** Libraries that work for their caller: the nearest of our frames above them decides; else this. */
const CARRIERS: [RegExp, Category][] = [
  [
    /node_modules\/(knex|mysql2|better-sqlite3|tarn|lru\.min|sqlstring|named-placeholders|denque|generate-function|long|iconv-lite)\//,
    'append (event store, SQL driver)',
  ],
  [/node_modules\/(ioredis|redis-parser|cluster-key-slot|standard-as-callback)\//, 'Redis (turns, deadlines, hints)'],
];

/** Our own code, by path under `src/`: the first rule that matches. */
const OURS: [RegExp, Category][] = [
  [/src\/infrastructure\/http\/(http\.metrics|metrics\.routes)/, 'metrics'],
  [/\.metrics\.ts$|\/metrics\.ts$|prometheus/, 'metrics'],
  [
    /src\/infrastructure\/members\/(hs256-jws|jwt-|verified-token|member-keys)|session-epoch|authenticat/,
    'auth (access token, session epoch)',
  ],
  [/idempoten/, 'idempotency'],
  [/src\/(projections|application|infrastructure)\/mail\/|src\/infrastructure\/tickets\/.*qr/i, 'e-mail (outbox, QR images)'],
  [/src\/infrastructure\/(http\/|rate-limit\/|logging\/request-context)/, 'HTTP + validation'],
  [/src\/infrastructure\/logging/, 'logging'],
  [/src\/domain\/admission|src\/(application|infrastructure)\/admission/, 'waiting room'],
  [/src\/domain\/|src\/application\/(booking\/|catalog\/|stream-|rests-on-state)/, 'decide (booking core)'],
  [/src\/infrastructure\/event-store\//, 'append (event store, SQL driver)'],
  [/src\/projections\/|src\/infrastructure\/projections\//, 'projections'],
  [/src\/infrastructure\/read-cache\//, 'cache invalidation + read cache'],
  [/src\/infrastructure\/(redis|booking)\//, 'Redis (turns, deadlines, hints)'],
];

const STARTUP =
  /node_modules\/(tsx|esbuild|get-tsconfig)\/|^node:internal\/modules\/|^node:internal\/(vm|process\/pre_execution|bootstrap)/;

/**
 * Self time (µs) per category, summed over every profile in `dir` (one per server process), of the
 * samples inside `window` (CLOCK_MONOTONIC µs, the profiles' own clock): seeding and start-up stay out.
 */
export function breakDown(dir: string, window: [number, number] = [0, Infinity]): Map<Category, number> {
  const totals = new Map<Category, number>(CATEGORIES.map((c) => [c, 0]));
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const categoryOf = categorise(profile);
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      at += delta;
      if (at < window[0] || at > window[1]) return;
      const category = categoryOf.get(id);
      if (category && category !== EXCLUDED) totals.set(category, totals.get(category)! + delta);
    });
  }
  return totals;
}

/** A profile's call tree as a flat list of nodes (a CPU profile's own shape; a heap profile's flattened). */
export interface ProfileNodes {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
}

/** Each node's category, walking from the node towards the root until a frame decides. */
export function categorise(profile: ProfileNodes): Map<number, Category | typeof EXCLUDED> {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const result = new Map<number, Category | typeof EXCLUDED>();
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(root)') {
      result.set(node.id, EXCLUDED);
      continue;
    }
    if (name === '(garbage collector)') {
      result.set(node.id, 'garbage collection');
      continue;
    }
    let carried: Category | undefined;
    let decided: Category | typeof EXCLUDED | undefined;
    for (let id: number | undefined = node.id; id !== undefined && !decided; id = parent.get(id)) {
      const url = byId.get(id)!.callFrame.url.replace(/^file:\/\//, '');
      if (STARTUP.test(url)) decided = EXCLUDED;
      else if (url.includes('/src/') && !url.includes('node_modules'))
        decided = OURS.find(([re]) => re.test(url))?.[1] ?? 'other (Node, unattributed)';
      else decided = LIBRARIES.find(([re]) => re.test(url))?.[1];
      if (!decided && !carried) carried = CARRIERS.find(([re]) => re.test(url))?.[1];
    }
    result.set(node.id, decided ?? carried ?? 'other (Node, unattributed)');
  }
  return result;
}

/** µs a booking on a server's threads other than the event loops (measured from /proc, which a V8 profile does not see). */
export interface HelperThreads {
  /** V8's helper threads: the garbage collector's parallel and concurrent work, the optimising compilers. */
  v8: number;
  /** libuv's pool (crypto, fs, DNS). */
  libuv: number;
  other: number;
}

/**
 * A markdown table: µs per booking and share per category, given the run's measured CPU per
 * booking. A V8 CPU profile samples the event loop alone: with `helpers` measured, the profile's
 * shares split the event loops' part (the whole less the helpers) and the helper threads get rows
 * of their own; without, the shares split the whole.
 */
export function formatBreakdown(totals: Map<Category, number>, cpuMicrosPerBooking: number, helpers?: HelperThreads): string {
  const sum = [...totals.values()].reduce((a, b) => a + b, 0) || 1;
  const helperMicros = helpers ? helpers.v8 + helpers.libuv + helpers.other : 0;
  const eventLoops = Math.max(0, cpuMicrosPerBooking - helperMicros);
  const row = (label: string, micros: number) =>
    `| ${label} | ${micros.toFixed(0)} | ${((100 * micros) / (cpuMicrosPerBooking || 1)).toFixed(1)} % |`;
  const rows = CATEGORIES.map((category) => row(category, (totals.get(category)! / sum) * eventLoops));
  if (helpers) {
    rows.push(
      row('V8 helper threads (garbage collector, compilers)', helpers.v8),
      row('libuv thread pool', helpers.libuv),
      row('other threads', helpers.other),
    );
  }
  return [
    '| where the CPU goes | µs per booking | share |',
    '| --- | ---: | ---: |',
    ...rows,
    `| **all (measured from /proc)** | **${cpuMicrosPerBooking.toFixed(0)}** | 100 % |`,
  ].join('\n');
}
