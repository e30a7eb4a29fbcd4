import type { PasswordHasher } from '../../application/members/members.ports.js';
import { DomainError } from '../../domain/shared/domain-error.js';

export class HasherBusy extends DomainError {
  constructor() {
    super('unavailable', 'AUTH.BUSY', 'Too many sign-ups and log-ins at once; try again in a moment', undefined, 1);
  }
}

/**
 * Lets at most `concurrency` hashes run and `maxQueued` wait; beyond that a request is refused at
 * once (503 with Retry-After) instead of queueing for seconds. A flood of log-ins then cannot take
 * both cores from the rest of the server, and nobody waits longer than the queue allows.
 */
export class BoundedPasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly concurrency = 4,
    private readonly maxQueued = 64,
  ) {}

  hash(password: string): Promise<string> {
    return this.run(() => this.inner.hash(password));
  }

  verify(password: string, hash: string | undefined): Promise<boolean> {
    return this.run(() => this.inner.verify(password, hash));
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.queue.length >= this.maxQueued) throw new HasherBusy();
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}
