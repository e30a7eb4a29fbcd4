/**
 * The requests of the routes that yield (the waiting room's join): at most `limit` of them in
 * progress in this process, the others wait their turn in arrival order; every other request runs at
 * once. A crowd's joins then queue here, not in the event loop, the Redis and SQL connections an
 * admitted member's hold shares with them (docs/waiting-room.md). `limit` 0: no limit.
 */
export class YieldingTurns {
  private inProgress = 0;
  /** Those waiting, oldest at `head` (an array shifted from the front would copy it at every turn). */
  private waiting: (() => void)[] = [];
  private head = 0;

  constructor(readonly limit: number) {}

  /** Requests waiting for their turn now. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** Requests in progress now (taken their turn, not yet done). */
  get running(): number {
    return this.inProgress;
  }

  /**
   * Resolves when the request may run; it calls the answer, once, when its work is over (answered,
   * or parked waiting for news) so that the next one runs. Later calls do nothing.
   */
  async turn(): Promise<() => void> {
    if (this.limit === 0 || (this.inProgress < this.limit && this.queued === 0)) this.inProgress++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.passOn();
    };
  }

  /** A finished request's place goes to the oldest waiting, or is freed. */
  private passOn(): void {
    if (this.queued === 0) {
      this.inProgress--;
      return;
    }
    const next = this.waiting[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    next();
  }
}
