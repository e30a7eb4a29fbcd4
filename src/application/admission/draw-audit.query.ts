import { admissionStream, type PreQueueDrawn, type PreQueueSeedCommitted } from '../../domain/admission/admission.events.js';
import { entrantsDigest, seedCommitment } from '../../domain/admission/draw-commitment.js';
import { drawOrder } from '../../domain/admission/pre-queue-draw.js';
import type { EventStore } from '../ports/event-store.js';

/** What anyone may check about a show's pre-queue draw (no member ids unless the entrants are given). */
export interface DrawAudit {
  showId: string;
  /** sha256 of the seed, published before the opening (absent: nobody was in the pre-queue in time). */
  commitment: string | null;
  /** When the seed was kept (the first join into the pre-queue, or an admitter tick). */
  committedAt: string | null;
  /** When the commitment was recorded, for anyone to read. */
  publishedAt: string | null;
  drawn: boolean;
  /** How many entered the draw (joined before the opening). */
  entrants: number | null;
  /** Revealed once drawn. */
  seed: string | null;
  drawnAt: string | null;
  /** sha256 of the entrants in join order, one member id a line. */
  entrantsDigest: string | null;
  /** The revealed seed hashes to the commitment (compare committedAt with the opening too). */
  seedMatchesCommitment: boolean | null;
}

/** Reads a show's draw from its admission stream. */
export async function drawAudit(events: EventStore, showId: string): Promise<DrawAudit> {
  const stream = await events.readStream(admissionStream(showId));
  const commitEvent = stream.find((e) => e.type === 'PreQueueSeedCommitted');
  const committed = commitEvent?.data as PreQueueSeedCommitted['data'] | undefined;
  const drawn = stream.find((e) => e.type === 'PreQueueDrawn')?.data as PreQueueDrawn['data'] | undefined;
  const commitment = committed?.commitment ?? null;
  return {
    showId,
    commitment,
    committedAt: committed?.committedAt ?? null,
    publishedAt: commitEvent ? new Date(commitEvent.metadata.recordedAt).toISOString() : null,
    drawn: drawn !== undefined,
    entrants: drawn?.count ?? null,
    seed: drawn?.seed ?? null,
    drawnAt: drawn?.drawnAt ?? null,
    entrantsDigest: drawn?.entrantsDigest ?? null,
    seedMatchesCommitment: drawn && commitment ? seedCommitment(drawn.seed) === commitment : null,
  };
}

/**
 * Redoes a draw from the revealed seed and the entrants in join order; `digestMatches` says
 * whether those are the entrants the draw pinned.
 */
export function replayDraw(audit: DrawAudit, entrantsInJoinOrder: readonly string[]): { order: string[]; digestMatches: boolean } {
  if (!audit.seed) throw new Error(`the draw of show ${audit.showId} has not happened yet`);
  return {
    order: drawOrder(entrantsInJoinOrder, audit.seed),
    digestMatches: entrantsDigest(entrantsInJoinOrder) === audit.entrantsDigest,
  };
}
