import { inject, injectable } from 'tsyringe';
import type { ProjectionWaiter } from '../ports/projection-waiter.js';
import { TOKENS } from '../tokens.js';
import { MEMBERS_PROJECTION, type MemberDirectory } from './members.ports.js';

/** How long a write waits for the read model to show it before answering anyway. */
const READ_YOUR_WRITES_MS = 3000;

/** Read-your-writes: after a write, wait (briefly) until the members read model has applied it. */
@injectable()
export class MembersReadModel {
  constructor(
    @inject(TOKENS.ProjectionWaiter) private readonly waiter: ProjectionWaiter,
    @inject(TOKENS.MemberDirectory) private readonly directory: MemberDirectory,
  ) {}

  /** Resolves false when the projection did not get there in time (the write itself stands). */
  async caughtUp(memberId: string, position: number): Promise<boolean> {
    const reached = position > 0 ? await this.waiter.waitFor(MEMBERS_PROJECTION, position, READ_YOUR_WRITES_MS) : true;
    this.directory.forget(memberId);
    return reached;
  }
}
