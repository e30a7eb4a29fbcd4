import { createHash, randomBytes } from 'node:crypto';
import type { DrawSeeds } from '../../application/ports/draw-seeds.js';

/** Production: 32 random bytes from the operating system's cryptographic source, for every show. */
export const randomDrawSeeds: DrawSeeds = { seedFor: () => randomBytes(32).toString('hex') };

/**
 * Tests only (ONSALE_TEST_DRAW_SEED, refused under NODE_ENV=production): sha256(`fixed:showId`), so
 * every process offers the same seed for a show and a statistical test of the draw gives the same
 * figure on every run. Anyone who knows `fixed` knows every draw before it happens.
 */
export function fixedDrawSeeds(fixed: string): DrawSeeds {
  return { seedFor: (showId) => createHash('sha256').update(`${fixed}:${showId}`).digest('hex') };
}
