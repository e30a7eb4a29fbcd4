import {
  BACKWARDS,
  END,
  NO_STREAM,
  StreamNotFoundError,
  jsonEvent,
  type AppendStreamRequest,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import { ClaimTaken } from '../../../application/ports/event-store.errors.js';
import type { ClaimKey } from '../prepared-append.js';
import { CLAIM_STREAM_PREFIX } from './kurrent-mapping.js';

/** Who holds a claim now, and the claim stream's revision (undefined: no stream). */
export interface ClaimState {
  owner?: string;
  revision?: bigint;
}

/**
 * Uniqueness on KurrentDB: one stream per (scope, sha256 of the value) whose last event says who
 * holds it. An append's claims and releases become `ClaimMade` / `ClaimReleased` events on those
 * streams, written in the same multi-stream append as the events, each at the revision read here:
 * if another writer moves a claim stream first, the whole append is refused and planned again.
 */
export class KurrentClaims {
  constructor(private readonly client: KurrentDBClient) {}

  /** The claim-stream parts of an append, from the claims' current state. */
  async plan(claims: ClaimKey[], releases: ClaimKey[], owner: string, owners: Set<string>): Promise<AppendStreamRequest[]> {
    const keys = [...claims, ...releases];
    const states = await Promise.all(keys.map((key) => this.read(key)));
    return planClaims(
      claims.map((key, i) => ({ key, state: states[i]! })),
      releases.map((key, i) => ({ key, state: states[claims.length + i]! })),
      owner,
      owners,
    );
  }

  private async read(claim: ClaimKey): Promise<ClaimState> {
    try {
      for await (const resolved of this.client.readStream(claimStreamOf(claim), { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
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
}

/**
 * Pure: a claim held by another stream fails with ClaimTaken; a claim already held by one of the
 * append's streams needs nothing; a free one gets `ClaimMade { owner }`. A release writes
 * `ClaimReleased` only where one of the append's streams holds the value. A value both released
 * and claimed in one append is claimed (a claim stream can appear once in an append).
 */
export function planClaims(
  claims: { key: ClaimKey; state: ClaimState }[],
  releases: { key: ClaimKey; state: ClaimState }[],
  owner: string,
  owners: Set<string>,
): AppendStreamRequest[] {
  const requests = new Map<string, AppendStreamRequest>();
  for (const { key, state } of claims) {
    if (state.owner !== undefined && !owners.has(state.owner)) throw new ClaimTaken(key.scope, key.value);
    if (state.owner !== undefined || requests.has(claimStreamOf(key))) continue;
    requests.set(claimStreamOf(key), claimRequest(key, 'ClaimMade', owner, state.revision));
  }
  for (const { key, state } of releases) {
    const stream = claimStreamOf(key);
    if (requests.has(stream) || claims.some((claim) => claim.key.key === key.key)) continue;
    if (state.owner === undefined || !owners.has(state.owner)) continue;
    requests.set(stream, claimRequest(key, 'ClaimReleased', state.owner, state.revision));
  }
  return [...requests.values()];
}

export function claimStreamOf(claim: Pick<ClaimKey, 'scope' | 'valueHash'>): string {
  return `${CLAIM_STREAM_PREFIX}${claim.scope}-${claim.valueHash}`;
}

export function isClaimStream(streamId: string): boolean {
  return streamId.startsWith(CLAIM_STREAM_PREFIX);
}

function claimRequest(
  key: ClaimKey,
  type: 'ClaimMade' | 'ClaimReleased',
  owner: string,
  revision: bigint | undefined,
): AppendStreamRequest {
  return {
    streamName: claimStreamOf(key),
    expectedState: revision ?? NO_STREAM,
    events: [jsonEvent({ type, data: { owner } })],
  };
}
