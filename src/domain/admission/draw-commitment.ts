import { createHash } from 'node:crypto';

/** What is published before the opening: sha256 of the seed, hex. The seed itself is revealed by the draw. */
export function seedCommitment(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** sha256 of the entrants in join order, one member id a line: pins the list the draw shuffled. */
export function entrantsDigest(membersInJoinOrder: readonly string[]): string {
  return createHash('sha256').update(membersInJoinOrder.join('\n')).digest('hex');
}
