/** What `npm run load -- crowd` is asked for. */
export interface CrowdOptions {
  members: number;
  wait: 'sse' | 'long-poll';
  /** SSE: ask for the stream with `Upgrade: onsale-events` (as Nginx does), off Node's HTTP server; false: the Koa route. */
  streamUpgrade: boolean;
  /** Server workers (node:cluster), each on `listeners` ports of its own; 0: one per 15,000 members, at least 2. */
  workers: number;
  /** Client processes; 0: one per 15,000 members, at least 2. */
  clients: number;
  /** Loopback source addresses from 127.0.0.2; 0: one per 20,000 members, at least 2. */
  sourceAddresses: number;
  joinSeconds: number;
  waitSeconds: number;
  /** The last seconds of the wait with admissions paused (0: none): the cost of a queue where nothing changes. */
  stillSeconds: number;
  admitPerSecond: number;
  maxActive: number;
  mysqlUrl: string;
  redisUrl?: string;
  seedFile?: string;
}

export interface CrowdLayout {
  workers: number;
  listeners: number;
  clients: number;
  sourceAddresses: string[];
  /** [from, to) of the members each client process holds. */
  slices: [number, number][];
}

// One process may hold 20,000 open files here (a hard limit): members per process stay well under it.
const PER_PROCESS = 15_000;
// Ephemeral ports run 32768–60999 per source address (and destination): 20,000 leaves room for buyers' second sockets.
const PER_ADDRESS = 20_000;

/** Server workers, client processes and source addresses for a crowd, so that no process or address runs out. */
export function crowdLayout(options: CrowdOptions): CrowdLayout {
  const perProcess = Math.max(2, Math.ceil(options.members / PER_PROCESS));
  const workers = options.workers || perProcess;
  const clients = options.clients || perProcess;
  const addresses = options.sourceAddresses || Math.max(2, Math.ceil(options.members / PER_ADDRESS));
  if (addresses > 250) throw new Error('at most 250 source addresses (127.0.0.2–127.0.0.251)');
  const size = Math.ceil(options.members / clients);
  const slices = Array.from({ length: clients }, (_, c): [number, number] => [c * size, Math.min(options.members, (c + 1) * size)]);
  return {
    workers,
    listeners: 2,
    clients,
    sourceAddresses: Array.from({ length: addresses }, (_, i) => `127.0.0.${i + 2}`),
    slices: slices.filter(([from, to]) => to > from),
  };
}
