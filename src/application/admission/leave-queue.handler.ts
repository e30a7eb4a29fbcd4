import { inject, injectable } from 'tsyringe';
import type { AdmissionQueue } from '../ports/admission-queue.js';
import { TOKENS } from '../tokens.js';
import type { QueuePlaces } from './queue-places.js';

export interface LeaveQueue {
  showId: string;
  memberId: string;
}

/** Gives up the member's place or lease: the next in line moves up. Leaving twice is harmless. */
@injectable()
export class LeaveQueueHandler {
  constructor(
    @inject(TOKENS.AdmissionQueue) private readonly queue: AdmissionQueue,
    @inject(TOKENS.QueuePlaces) private readonly places: QueuePlaces,
  ) {}

  async handle(command: LeaveQueue): Promise<{ left: boolean }> {
    this.places.forget(command.showId, command.memberId);
    return { left: await this.queue.leave(command.showId, command.memberId) };
  }
}
