/** What `npm run load -- crowd` is asked for. */
export interface CrowdOptions {
  members: number;
  wait: 'sse' | 'long-poll';
  /** SSE: ask for the stream with `Upgrade: onsale-events` (as Nginx does), off Node's HTTP server; false: the Koa route. */
  streamUpgrade: boolean;
  /** Server workers (node:cluster), each on `listeners` ports of its own; 0: one per 15,000 members, at least 2. */
  workers: number;
  /**
   * Waiting-room processes (WAITING_ROOM_WORKERS) that hold the crowd while the `workers` (default 2)
   * serve admitted buyers; 0: every worker takes both.
   */
  waitingRoomWorkers: number;
  /** Client processes; 0: one per 15,000 members, at least 2. */
  clients: number;
  /** Loopback source addresses from 127.0.0.2 to bind to; 0: none (the kernel picks the port per server port). */
  sourceAddresses: number;
  joinSeconds: number;
  waitSeconds: number;
  /** The last seconds of the wait with admissions paused (0: none): the cost of a queue where nothing changes. */
  stillSeconds: number;
  /** Admitted members hold and confirm one ticket (else they leave once told). */
  buy: boolean;
  /** Admitted members hold on their worker's booking port (BOOKING_PORT_BASE), not on the crowd's ports. */
  bookingDoor: boolean;
  admitPerSecond: number;
  maxActive: number;
  mysqlUrl: string;
  redisUrl?: string;
  seedFile?: string;
}

export interface CrowdLayout {
  /** Server workers (slots 0…workers−1). */
  workers: number;
  /** Waiting-room processes after them (slots workers…): the crowd's joins and waits go there when there are any. */
  waitingRoom: number;
  listeners: number;
  clients: number;
  sourceAddresses: string[];
  /** [from, to) of the members each client process holds. */
  slices: [number, number][];
}

// One process may hold 20,000 open files here (a hard limit): members per process stay well under it.
const PER_PROCESS = 15_000;
// Ephemeral ports run 32768–60999 per source and destination address and port: 20,000 leaves room for buyers' second sockets.
const PER_DESTINATION = 20_000;
const LISTENERS = 2;

/** Server workers, client processes and source addresses for a crowd, so that no process or address runs out. */
export function crowdLayout(options: CrowdOptions): CrowdLayout {
  const perProcess = Math.max(2, Math.ceil(options.members / PER_PROCESS));
  const waitingRoom = options.waitingRoomWorkers;
  const workers = options.workers || (waitingRoom ? 2 : perProcess);
  const clients = options.clients || perProcess;
  // the processes that hold the crowd's connections
  const holders = waitingRoom || workers;
  if (options.members / holders > PER_PROCESS)
    throw new Error(
      `${Math.ceil(options.members / holders)} members a server process: at most ${PER_PROCESS} (20,000 open files a process here)`,
    );
  // No bind() by default: binding a socket to a source address picks its port among every port that
  // address uses (8.6 ms a socket at 20,000 a process here, the clients' whole CPU); connect() picks
  // one free for that server port, so the workers' ports spread the crowd instead.
  const addresses = options.sourceAddresses;
  if (addresses > 250) throw new Error('at most 250 source addresses (127.0.0.2–127.0.0.251)');
  const perDestination = options.members / (holders * LISTENERS * Math.max(1, addresses));
  if (perDestination > PER_DESTINATION)
    throw new Error(
      `${Math.round(perDestination)} members a server port: add ${waitingRoom ? '--waiting-room-workers' : '--workers'} or --source-addresses (at most ${PER_DESTINATION})`,
    );
  const size = Math.ceil(options.members / clients);
  const slices = Array.from({ length: clients }, (_, c): [number, number] => [c * size, Math.min(options.members, (c + 1) * size)]);
  return {
    workers,
    waitingRoom,
    listeners: LISTENERS,
    clients,
    sourceAddresses: Array.from({ length: addresses }, (_, i) => `127.0.0.${i + 2}`),
    slices: slices.filter(([from, to]) => to > from),
  };
}
