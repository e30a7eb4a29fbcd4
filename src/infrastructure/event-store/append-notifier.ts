/** Tells waiting readers that the head moved. A hint only: readers re-check the store. */
export interface AppendNotifier {
  /** Called by a store after a commit, with the new head position. */
  notify(position: number): void;
  /** Calls `listener` on every hint; returns the unsubscribe function. */
  subscribe(listener: (position: number) => void): () => void;
  close(): Promise<void>;
}

/** In-process wake-ups: waiters in this process hear about appends made by this process. */
export class LocalAppendNotifier implements AppendNotifier {
  private readonly listeners = new Set<(position: number) => void>();

  notify(position: number): void {
    for (const listener of [...this.listeners]) listener(position);
  }

  subscribe(listener: (position: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
