import type { DependencyContainer } from 'tsyringe';
import { CloseQueueWhenSoldOut } from '../../application/admission/close-queue-when-sold-out.js';
import type { AdmissionGate } from '../../application/ports/admission-gate.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import { TOKENS } from '../../application/tokens.js';
import type { Projection } from '../projection.js';
import { ShowQueries } from './show.queries.js';
import { showsProjection } from './shows.projection.js';

/** The catalogue's read model: the show list. */
export function catalogProjections(container: DependencyContainer): Projection[] {
  const cache = container.resolve<ReadCache>(TOKENS.ReadCache);
  const gate = container.resolve<AdmissionGate>(TOKENS.AdmissionGate);
  const shows = container.resolve(ShowQueries);
  const soldOut = new CloseQueueWhenSoldOut(gate, (showId) => shows.soldOut(showId));
  return [showsProjection({ cache, seatsTaken: (showIds) => soldOut.seatsTaken(showIds) })];
}
