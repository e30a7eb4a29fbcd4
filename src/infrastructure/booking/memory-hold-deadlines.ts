import type { HoldDeadline, HoldDeadlines } from '../../application/ports/hold-deadlines.js';

/** Deadlines in a binary min-heap, for the embedded mode (one process). Cancelled ones are skipped lazily. */
export class MemoryHoldDeadlines implements HoldDeadlines {
  private readonly heap: HoldDeadline[] = [];
  private readonly live = new Map<string, HoldDeadline>();

  async schedule(deadline: HoldDeadline): Promise<void> {
    this.live.set(deadline.holdId, deadline);
    this.heap.push(deadline);
    this.up(this.heap.length - 1);
  }

  async cancel(holdId: string): Promise<void> {
    this.live.delete(holdId);
  }

  async takeDue(now: Date, limit: number): Promise<HoldDeadline[]> {
    const due: HoldDeadline[] = [];
    while (due.length < limit && this.heap.length && this.heap[0]!.expiresAt <= now) {
      const top = this.pop();
      if (this.live.get(top.holdId) !== top) continue;
      this.live.delete(top.holdId);
      due.push(top);
    }
    return due;
  }

  async next(): Promise<Date | undefined> {
    while (this.heap.length && this.live.get(this.heap[0]!.holdId) !== this.heap[0]) this.pop();
    return this.heap[0]?.expiresAt;
  }

  private pop(): HoldDeadline {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.heap[parent]!.expiresAt <= this.heap[i]!.expiresAt) return;
      [this.heap[parent], this.heap[i]] = [this.heap[i]!, this.heap[parent]!];
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < this.heap.length && this.heap[l]!.expiresAt < this.heap[min]!.expiresAt) min = l;
      if (r < this.heap.length && this.heap[r]!.expiresAt < this.heap[min]!.expiresAt) min = r;
      if (min === i) return;
      [this.heap[min], this.heap[i]] = [this.heap[i]!, this.heap[min]!];
      i = min;
    }
  }
}
