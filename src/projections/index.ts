import type { DependencyContainer } from 'tsyringe';
import type { Projection } from './engine/projection.js';
import { bookingProjections } from './booking.projections.js';
import { catalogProjections } from './catalog/catalog.projections.js';
import { membersProjection } from './members/members.projection.js';

/**
 * Every projection of the deployment: the server runs them and the CLI rebuilds them. Add yours
 * with one line; resolve what it needs from `container` (registered by the composition root).
 */
export function allProjections(container: DependencyContainer): Projection[] {
  return [membersProjection, ...catalogProjections(container), ...bookingProjections(container)];
}
