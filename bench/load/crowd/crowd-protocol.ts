/** What crowd-run.ts sends each client process, and what they send back (over the fork's IPC channel). */
export interface ClientJob {
  showId: string;
  members: { id: string; accessToken: string; ip: string }[];
  /** This client's first member's index in the whole crowd: spreads ports and addresses evenly. */
  offset: number;
  /** Server ports (each worker's own), taken in turn. */
  ports: number[];
  /** Where a member on ports[i] holds once admitted: its worker's booking port, or ports[i] itself. */
  holdPorts: number[];
  /** Loopback addresses the sockets are bound to, taken in turn (each has its own ephemeral ports). */
  sourceAddresses: string[];
  wait: 'sse' | 'long-poll';
  /** The stream request carries `Connection: Upgrade` and `Upgrade: onsale-events`. */
  streamUpgrade: boolean;
  /** Epoch ms: joins start, spread evenly over joinSeconds; every socket closes at endAt. */
  startAt: number;
  joinSeconds: number;
  endAt: number;
  buy: boolean;
}

export interface ClientProgress {
  type: 'progress';
  at: number;
  joined: number;
  waiting: number;
  streams: number;
  admitted: number;
  bought: number;
  errors: number;
}

/** One member's times (epoch ms, 0 when it did not happen) and the first error it met. */
export interface MemberRecord {
  memberId: string;
  joinSentAt: number;
  joinAt: number;
  /** The event stream's 200 (SSE only). */
  streamAt: number;
  /** When the member learnt of its admission. */
  knownAt: number;
  boughtAt: number;
  error: string;
}

export interface ClientResult {
  type: 'result';
  records: MemberRecord[];
  reasons: Record<string, number>;
}
