import type { DependencyContainer } from 'tsyringe';
import type { AdmissionGate } from '../../application/ports/admission-gate.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import { TOKENS } from '../../application/tokens.js';
import type { Projection } from '../engine/projection.js';
import { ShowQueries } from './show.queries.js';
import { showsProjection } from './shows.projection.js';

/** The catalogue's read model: the show list. */
export function catalogProjections(container: DependencyContainer): Projection[] {
  const cache = container.resolve<ReadCache>(TOKENS.ReadCache);
  const gate = container.resolve<AdmissionGate>(TOKENS.AdmissionGate);
  const shows = container.resolve(ShowQueries);
  return [showsProjection({ cache, gate, remaining: (showId) => shows.remaining(showId) })];
}
