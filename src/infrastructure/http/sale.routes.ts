import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { RunSaleHandler } from '../../application/catalog/run-sale.handler.js';
import type { Clock } from '../../application/ports/clock.js';
import { TOKENS } from '../../application/tokens.js';
import { ShowNotFound } from '../../domain/catalog/catalog.errors.js';
import { saleState } from '../../domain/catalog/run-sale.js';
import type { SaleControl } from '../../domain/catalog/show.commands.js';
import { ShowQueries, type ShowView } from '../../projections/catalog/show.queries.js';
import { showParams } from './booking.schemas.js';
import { problem } from './problem.schema.js';
import { route, type RouteSpec } from './route.js';

const adminOnly = {
  401: { description: 'No valid access token', schema: problem },
  403: { description: 'AUTH.ADMIN_ONLY', schema: problem },
};
const notFound = { 404: { description: 'CATALOG.SHOW_NOT_FOUND', schema: problem } };
const refused = {
  409: { description: 'CATALOG.SALE_CONTROL_REFUSED: not for the sale as it stands (`action`); CATALOG.INVALID_SHOW', schema: problem },
};
const state = z.enum(['scheduled', 'on-sale', 'paused', 'sold-out', 'closed']);
const showWithState = z
  .object({
    id: z.string(),
    title: z.string(),
    state,
    capacity: z.number().int(),
    sold: z.number().int(),
    held: z.number().int(),
    remaining: z.number().int(),
  })
  .loose();
const controlled = z.object({
  changed: z.boolean().describe('false: the sale was in that state already (nothing recorded)'),
  show: showWithState,
});

const CONTROLS: { path: string; action: Exclude<SaleControl['action'], 'set-admission'>; summary: string }[] = [
  {
    path: 'open',
    action: 'open-now',
    summary: 'Open sales now (before the planned time, or again after closing a sale without a waiting room)',
  },
  {
    path: 'pause',
    action: 'pause-admissions',
    summary: 'Pause the waiting room’s admissions: people keep their places, nobody new is let in',
  },
  { path: 'resume', action: 'resume-admissions', summary: 'Resume the waiting room’s admissions' },
  { path: 'close', action: 'close-now', summary: 'Close sales now' },
];

/** The organizer's run-the-sale controls and the console's show list (admin). Each control is an event naming who did it. */
export function saleRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const runSale = container.resolve(RunSaleHandler);
  const shows = container.resolve(ShowQueries);
  const clock = container.resolve<Clock>(TOKENS.Clock);
  const withState = (show: ShowView) => ({ ...show, state: saleState(show, show.remaining, clock.now()) });
  const answer = async (showId: string, changed: boolean) => {
    const show = await shows.get(showId, true);
    if (!show) throw new ShowNotFound(showId);
    return { status: 200, body: { changed, show: withState(show) }, headers: { 'Cache-Control': 'no-store' } };
  };
  return [
    route({
      method: 'get',
      path: '/api/admin/shows',
      summary: 'Every show with where its sale stands and sold / held / capacity (admin)',
      tag: 'organizer',
      access: 'admin',
      responses: { 200: { description: 'Shows, soonest first', schema: z.array(showWithState) }, ...adminOnly },
      handle: async () => ({ status: 200, body: (await shows.list(500)).map(withState), headers: { 'Cache-Control': 'no-store' } }),
    }),
    ...CONTROLS.map(({ path, action, summary }) =>
      route({
        method: 'post',
        path: `/api/shows/:id/sale/${path}`,
        summary: `${summary} (admin)`,
        tag: 'organizer',
        access: 'admin',
        params: showParams,
        responses: { 200: { description: 'Done, or the sale was so already', schema: controlled }, ...adminOnly, ...notFound, ...refused },
        handle: async ({ params, principal }) => {
          const { changed } = await runSale.handle({ showId: params.id, control: { action }, by: principal.memberId });
          return answer(params.id, changed);
        },
      }),
    ),
    route({
      method: 'post',
      path: '/api/shows/:id/sale/admission',
      summary: 'Change the waiting room’s admission rate and/or maxActive, live (admin)',
      tag: 'organizer',
      access: 'admin',
      params: showParams,
      body: z
        .strictObject({
          admitPerSecond: z.number().int().min(1).max(100_000).optional().describe('Members let in per second'),
          maxActive: z.number().int().min(1).max(1_000_000).optional().describe('Members admitted and buying at once'),
        })
        .refine((body) => body.admitPerSecond !== undefined || body.maxActive !== undefined, 'name admitPerSecond, maxActive or both'),
      responses: {
        200: { description: 'Changed, or the values were so already', schema: controlled },
        400: { description: 'A value is missing, out of range or unknown', schema: problem },
        ...adminOnly,
        ...notFound,
        ...refused,
      },
      handle: async ({ params, body, principal }) => {
        const { changed } = await runSale.handle({
          showId: params.id,
          control: { action: 'set-admission', ...body },
          by: principal.memberId,
        });
        return answer(params.id, changed);
      },
    }),
  ];
}
