/**
 * Turns on hot streams across server processes. While a stream is contended (a process lost an
 * append on it lately), its writers take turns instead of racing, so no process starves; the
 * expected version stays the guard, and a turn not had in time is gone without.
 */
export interface StreamTurns {
  /** Takes the turn on those of the streams that are contended (all of them, or waits). */
  take(streamIds: string[]): Promise<Turn>;
  /** This process lost an append on the stream: have every process take turns on it for a while. */
  contended(streamId: string): Promise<void>;
}

export interface Turn {
  /** Versions the last turn holders wrote, to re-read a stream before deciding rather than after a conflict. */
  versions: Map<string, number>;
  release(written: Record<string, number>): Promise<void>;
}

/** No other processes (embedded mode, tests of one process). */
export const noTurns: StreamTurns = {
  take: async () => ({ versions: new Map(), release: async () => undefined }),
  contended: async () => undefined,
};
