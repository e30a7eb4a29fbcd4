import { admissionStream, type PreQueueDrawn, type PreQueueSeedCommitted } from '../../domain/admission/admission.events.js';
import { entrantsDigest, seedCommitment } from '../../domain/admission/draw-commitment.js';
import { drawOrder } from '../../domain/admission/pre-queue-draw.js';
import type { AdmissionQueue } from '../ports/admission-queue.js';
import type { DrawSeeds } from '../ports/draw-seeds.js';
import { IdempotencyMismatch } from '../ports/event-store.errors.js';
import type { EventStore } from '../ports/event-store.js';
import { admissionEventId } from './admission-event-id.js';

/**
 * The pre-queue's draw, auditable: before the opening (at the first join into the pre-queue, and
 * at every admitter tick until done) the queue keeps a seed from DrawSeeds (random in production) and its sha256 is published
 * (PreQueueSeedCommitted); at the opening the pre-queue is frozen, shuffled
 * with that seed, and the seed revealed (PreQueueDrawn). Every process uses the queue's seed, so
 * all apply the same order, and the events' ids and data are the same whichever process records them.
 */
export class PreQueueDraw {
  /** Shows whose commitment this process has seen recorded. */
  private readonly committed = new Set<string>();

  constructor(
    private readonly queue: AdmissionQueue,
    private readonly events: EventStore,
    private readonly seeds: DrawSeeds,
  ) {}

  /** Before the opening: keeps a seed for the show (the first process's wins) and publishes its commitment, once. */
  async commit(showId: string, now: number): Promise<void> {
    if (!this.committed.has(showId)) await this.keepSeed(showId, now);
  }

  /** The show's kept seed (keeping this one if none is), its commitment recorded. */
  private async keepSeed(showId: string, now: number): Promise<string> {
    const { seed, committedAt } = await this.queue.commitSeed(showId, this.seeds.seedFor(showId), now);
    if (this.committed.has(showId)) return seed;
    const commitment = seedCommitment(seed);
    const event: PreQueueSeedCommitted = {
      type: 'PreQueueSeedCommitted',
      data: { showId, commitment, committedAt: new Date(committedAt).toISOString() },
    };
    await this.events.append(admissionStream(showId), [{ id: admissionEventId(`${showId}:commitment:${commitment}`), ...event }], 'any');
    if (this.committed.size >= 10_000) this.committed.clear();
    this.committed.add(showId);
    return seed;
  }

  /** At the opening: freezes the pre-queue (not before the queue's clock says so), reveals the seed, places the draw. */
  async draw(showId: string, now: number, salesOpenAt: number): Promise<void> {
    const members = await this.queue.freeze(showId, { now, salesOpenAt });
    if (!members) return;
    const seed = await this.keepSeed(showId, now);
    const drawn: PreQueueDrawn = {
      type: 'PreQueueDrawn',
      data: {
        showId,
        seed,
        count: members.length,
        drawnAt: new Date(now).toISOString(),
        commitment: seedCommitment(seed),
        entrantsDigest: entrantsDigest(members),
      },
    };
    try {
      await this.events.append(admissionStream(showId), [{ id: admissionEventId(`${showId}:draw:${seed}`), ...drawn }], 'any');
    } catch (error) {
      // another process recorded this same draw (same seed and entrants) with its own drawnAt: that one stands
      if (!(error instanceof IdempotencyMismatch)) throw error;
    }
    await this.queue.applyDraw(showId, drawOrder(members, seed), now);
  }
}
