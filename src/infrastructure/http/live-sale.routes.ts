import type { DependencyContainer } from 'tsyringe';
import type { AdmissionQueue } from '../../application/ports/admission-queue.js';
import type { Clock } from '../../application/ports/clock.js';
import { TOKENS } from '../../application/tokens.js';
import type { DoorLists } from '../../application/ports/door-lists.js';
import { ShowQueries } from '../../projections/catalog/show.queries.js';
import { showParams } from './booking.schemas.js';
import { ProjectionEngine } from '../projections/engine/engine.js';
import { ClusterErrorTotals } from './cluster-error-totals.js';
import { LiveSaleSampler } from './live-sale-sampler.js';
import { liveSaleStream } from './live-sale-stream.js';
import { problem } from './problem.schema.js';
import { route, type RouteSpec } from './route.js';

const adminOnly = {
  401: { description: 'No valid access token', schema: problem },
  403: { description: 'AUTH.ADMIN_ONLY', schema: problem },
};
const notFound = { 404: { description: 'CATALOG.SHOW_NOT_FOUND', schema: problem } };

/** The live dashboard's stream: the sale sampled every second (read model, waiting room, projection lag, errors, door alerts). */
export function liveSaleRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const sampler = new LiveSaleSampler({
    shows: container.resolve(ShowQueries),
    clock: container.resolve<Clock>(TOKENS.Clock),
    queue: container.resolve<AdmissionQueue>(TOKENS.AdmissionQueue),
    door: container.resolve<DoorLists>(TOKENS.DoorLists),
    lag: () => container.resolve(ProjectionEngine).lag(),
    errors: container.resolve(ClusterErrorTotals),
  });
  const sample = (showId: string) => sampler.sample(showId);
  return [
    route({
      method: 'get',
      path: '/api/admin/shows/:id/live',
      summary: 'Server-Sent Events: the sale, sampled every second (sold, held, waiting room) for the live dashboard (admin)',
      tag: 'organizer',
      access: 'admin',
      params: showParams,
      responses: { 200: { description: 'text/event-stream of `sample` events' }, ...adminOnly, ...notFound },
      handle: async ({ params, request }) => {
        await sample(params.id);
        const { stream, stop } = liveSaleStream(() => sample(params.id));
        request.socket.setTimeout(0);
        request.on('close', stop);
        return {
          status: 200,
          body: stream,
          headers: {
            'Content-Type': 'text/event-stream; charset=utf-8',
            'Cache-Control': 'no-store, no-transform',
            'X-Accel-Buffering': 'no',
          },
        };
      },
    }),
  ];
}
