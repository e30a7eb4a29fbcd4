import type { DependencyContainer } from 'tsyringe';
import type { AdmissionQueue } from '../../application/ports/admission-queue.js';
import type { Clock } from '../../application/ports/clock.js';
import { TOKENS } from '../../application/tokens.js';
import { ShowNotFound } from '../../domain/catalog/catalog.errors.js';
import { saleState } from '../../domain/catalog/run-sale.js';
import { ShowQueries } from '../../projections/catalog/show.queries.js';
import { showParams } from './booking.schemas.js';
import { liveSaleStream, type SaleSample } from './live-sale-stream.js';
import { problem } from './problem.schema.js';
import { route, type RouteSpec } from './route.js';

const adminOnly = {
  401: { description: 'No valid access token', schema: problem },
  403: { description: 'AUTH.ADMIN_ONLY', schema: problem },
};
const notFound = { 404: { description: 'CATALOG.SHOW_NOT_FOUND', schema: problem } };

/** The live dashboard's stream: the sale sampled every second from the shows read model and the waiting room. */
export function liveSaleRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const shows = container.resolve(ShowQueries);
  const clock = container.resolve<Clock>(TOKENS.Clock);
  const queue = container.resolve<AdmissionQueue>(TOKENS.AdmissionQueue);
  const sample = async (showId: string): Promise<SaleSample> => {
    const show = await shows.get(showId);
    if (!show) throw new ShowNotFound(showId);
    const stats = show.queue.enabled ? await queue.stats(showId) : { waiting: 0, active: 0, admittedTotal: 0, abandonedTotal: 0 };
    const { capacity, sold, held, remaining } = show;
    const { waiting, active, admittedTotal, abandonedTotal } = stats;
    const { admitPerSecond, maxActive } = show.queue;
    const at = clock.now();
    return {
      at: at.toISOString(),
      waitingRoom: show.queue.enabled,
      state: saleState(show, remaining, at),
      capacity,
      sold,
      held,
      remaining,
      waiting,
      active,
      admittedTotal,
      abandonedTotal,
      admitPerSecond,
      maxActive,
      paused: Boolean(show.queue.paused),
    };
  };
  return [
    route({
      method: 'get',
      path: '/api/admin/shows/:id/live',
      summary: 'Server-Sent Events: the sale, sampled every second (sold, held, waiting room) for the live dashboard (admin)',
      tag: 'organizer',
      access: 'admin',
      params: showParams,
      responses: { 200: { description: 'text/event-stream of `sample` events' }, ...adminOnly, ...notFound },
      handle: async ({ params, ctx }) => {
        await sample(params.id);
        const { stream, stop } = liveSaleStream(() => sample(params.id));
        ctx.req.socket.setTimeout(0);
        ctx.req.on('close', stop);
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
