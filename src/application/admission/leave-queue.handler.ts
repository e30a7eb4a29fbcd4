import { inject, injectable } from 'tsyringe';
import type { AdmissionQueue } from '../ports/admission-queue.js';
import { TOKENS } from '../tokens.js';

export interface LeaveQueue {
  showId: string;
  memberId: string;
}

/** Gives up the member's place or lease: the next in line moves up. Leaving twice is harmless. */
@injectable()
export class LeaveQueueHandler {
  constructor(@inject(TOKENS.AdmissionQueue) private readonly queue: AdmissionQueue) {}

  async handle(command: LeaveQueue): Promise<{ left: boolean }> {
    return { left: await this.queue.leave(command.showId, command.memberId) };
  }
}
