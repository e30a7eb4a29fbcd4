import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { ChangeShowSaleHandler } from '../../application/catalog/change-show-sale.handler.js';
import { ScheduleShowHandler } from '../../application/catalog/schedule-show.handler.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import { TOKENS } from '../../application/tokens.js';
import { ShowNotFound } from '../../domain/catalog/catalog.errors.js';
import { SalesQueries } from '../../projections/sales/sales.queries.js';
import { SeatMapQueries } from '../../projections/seat-map/seat-map.queries.js';
import { ShowQueries } from '../../projections/catalog/show.queries.js';
import { saleChangesBody, showBody, showParams } from './booking.schemas.js';
import { problem } from './problem.schema.js';
import { route, type RouteSpec } from './route.js';
import { StaleCopies } from './stale-copies.js';

const STALE_NOTE = '; while the database is away, the last good answer with `Age` and `Warning: 110` (when there is one)';
const badInput = { 400: { description: 'A field is missing, malformed, out of range or unknown', schema: problem } };
const notFound = { 404: { description: 'CATALOG.SHOW_NOT_FOUND', schema: problem } };
const adminOnly = {
  401: { description: 'No valid access token', schema: problem },
  403: { description: 'AUTH.ADMIN_ONLY', schema: problem },
};
const showView = z
  .object({ id: z.string(), title: z.string(), remaining: z.number().int(), sold: z.number().int(), held: z.number().int() })
  .loose();
const count = z.number().int().min(0);
const seatMapView = z.discriminatedUnion('seating', [
  z.object({
    showId: z.string(),
    seating: z.literal('reserved'),
    legend: z
      .object({ a: z.literal('available'), h: z.literal('held'), s: z.literal('sold'), x: z.literal('blocked') })
      .describe('What each character of a row string means'),
    sections: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        price: z.number().int().describe('Minor units of the currency'),
        available: count,
        held: count,
        sold: count,
        blocked: count.optional().describe('Seats left out of the section, when it has some'),
        rows: z
          .array(z.string().regex(/^[ahsx]*$/))
          .describe('rows[r - 1] is row r, its character n - 1 seat `<section>-<r>-<n>`; a hold past its deadline is `a`'),
      }),
    ),
  }),
  z.object({ showId: z.string(), seating: z.literal('general'), capacity: count, remaining: count, price: z.number().int() }),
]);

/** The catalogue: shows with their remaining tickets, seat maps, and the admin's scheduling. */
export function catalogRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const schedule = container.resolve(ScheduleShowHandler);
  const change = container.resolve(ChangeShowSaleHandler);
  const shows = container.resolve(ShowQueries);
  const seatMaps = container.resolve(SeatMapQueries);
  const sales = container.resolve(SalesQueries);
  const stale = new StaleCopies(container.resolve<ReadCache>(TOKENS.ReadCache));
  const showOr404 = async (id: string, fresh = false) => (await shows.get(id, fresh)) ?? Promise.reject(new ShowNotFound(id));
  return [
    route({
      method: 'post',
      path: '/api/shows',
      summary: 'Schedule a show (admin)',
      tag: 'catalog',
      access: 'admin',
      body: showBody,
      responses: { 201: { description: 'Scheduled', schema: showView }, ...badInput, ...adminOnly },
      handle: async ({ body }) => {
        const { showId } = await schedule.handle(body);
        return {
          status: 201,
          body: (await shows.get(showId, true)) ?? { id: showId, ...body },
          headers: { Location: `/api/shows/${showId}` },
        };
      },
    }),
    route({
      method: 'patch',
      path: '/api/shows/:id',
      summary: 'Change the sale window, per-member limit or queue settings (admin)',
      tag: 'catalog',
      access: 'admin',
      params: showParams,
      body: saleChangesBody,
      responses: {
        200: { description: 'Changed', schema: showView },
        ...badInput,
        ...adminOnly,
        ...notFound,
        409: { description: 'CATALOG.UNSAFE_CHANGE: not safe once sales have opened', schema: problem },
      },
      handle: async ({ params, body, principal }) => {
        await change.handle(params.id, body, principal.memberId);
        return { status: 200, body: await showOr404(params.id, true) };
      },
    }),
    route({
      method: 'get',
      path: '/api/shows',
      summary: 'Shows with their remaining tickets',
      tag: 'catalog',
      access: 'public',
      responses: { 200: { description: `Shows, soonest first${STALE_NOTE}`, schema: z.array(showView) } },
      handle: async () => ({ status: 200, ...(await stale.serve('shows', () => shows.list())) }),
    }),
    route({
      method: 'get',
      path: '/api/shows/:id',
      summary: 'A show with its remaining tickets',
      tag: 'catalog',
      access: 'public',
      params: showParams,
      responses: { 200: { description: `The show${STALE_NOTE}`, schema: showView }, ...notFound },
      handle: async ({ params }) => {
        const { body, headers } = await stale.serve(`show:${params.id}`, () => shows.get(params.id));
        return { status: 200, body: body ?? (await Promise.reject(new ShowNotFound(params.id))), headers };
      },
    }),
    route({
      method: 'get',
      path: '/api/shows/:id/seats',
      summary: 'Every seat as one character (available, held, sold) by section and row, or what is left of a general-admission show',
      tag: 'catalog',
      access: 'public',
      params: showParams,
      responses: { 200: { description: `The seat map${STALE_NOTE}`, schema: seatMapView }, ...notFound },
      handle: async ({ params }) => {
        const { body, headers } = await stale.serve(`seats:${params.id}`, () => seatMaps.get(params.id));
        return { status: 200, body: body ?? (await Promise.reject(new ShowNotFound(params.id))), headers };
      },
    }),
    route({
      method: 'get',
      path: '/api/shows/:id/sales',
      summary: 'Sales figures of a show (admin)',
      tag: 'catalog',
      access: 'admin',
      params: showParams,
      responses: { 200: { description: 'Holds by outcome, tickets sold, revenue' }, ...adminOnly, ...notFound },
      handle: async ({ params }) => {
        await showOr404(params.id);
        return { status: 200, body: await sales.ofShow(params.id) };
      },
    }),
  ];
}
