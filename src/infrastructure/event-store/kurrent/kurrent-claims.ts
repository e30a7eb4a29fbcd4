import {
  BACKWARDS,
  END,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { ClaimTaken } from '../../../application/ports/event-store.errors.js';
import type { ClaimKey } from '../prepared-append.js';
import { CLAIM_STREAM_PREFIX } from './kurrent-mapping.js';

interface ClaimState {
  owner?: string;
  revision?: bigint;
}

/**
 * Uniqueness on KurrentDB: one stream per (scope, sha256 of the value) whose last event says who
 * holds it. A claim appends `ClaimMade` at the revision it read (NO_STREAM the first time), so of
 * two racing claims exactly one is written. It is not in the same transaction as the events:
 * the store makes the claims first and releases them again when its events are then refused.
 */
export class KurrentClaims {
  constructor(private readonly client: EventStoreDBClient) {}

  /** Claims each value for `owner`; returns the ones it newly made (to undo on failure). */
  async claim(claims: ClaimKey[], owner: string, owners: Set<string>): Promise<ClaimKey[]> {
    const made: ClaimKey[] = [];
    try {
      for (const claim of claims) {
        for (;;) {
          const state = await this.read(claim);
          if (state.owner !== undefined && owners.has(state.owner)) break;
          if (state.owner !== undefined) throw new ClaimTaken(claim.scope, claim.value);
          if (await this.write(claim, 'ClaimMade', owner, state.revision)) {
            made.push(claim);
            break;
          }
        }
      }
      return made;
    } catch (error) {
      await this.release(made, owners);
      throw error;
    }
  }

  /** Releases the values that one of `owners` holds; others are left alone. */
  async release(claims: ClaimKey[], owners: Set<string>): Promise<void> {
    for (const claim of claims) {
      for (;;) {
        const state = await this.read(claim);
        if (state.owner === undefined || !owners.has(state.owner)) break;
        if (await this.write(claim, 'ClaimReleased', state.owner, state.revision)) break;
      }
    }
  }

  private async read(claim: ClaimKey): Promise<ClaimState> {
    try {
      for await (const resolved of this.client.readStream(streamOf(claim), { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        const event = resolved.event;
        if (!event) continue;
        const owner = event.type === 'ClaimMade' ? (event.data as { owner: string }).owner : undefined;
        return { owner, revision: event.revision };
      }
      return {};
    } catch (error) {
      if (error instanceof StreamNotFoundError) return {};
      throw error;
    }
  }

  /** False when another writer moved the claim stream first (read it again). */
  private async write(claim: ClaimKey, type: string, owner: string, revision: bigint | undefined): Promise<boolean> {
    try {
      await this.client.appendToStream(streamOf(claim), jsonEvent({ type, data: { owner } }), { expectedRevision: revision ?? NO_STREAM });
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
  }
}

function streamOf(claim: ClaimKey): string {
  return `${CLAIM_STREAM_PREFIX}${claim.scope}-${claim.valueHash}`;
}
