import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { BookingHistoryQuery } from '../../application/booking/booking-history.query.js';
import { CancelOnBehalfHandler } from '../../application/booking/cancel-on-behalf.handler.js';
import { AdminReservationQueries } from '../../projections/reservations/admin-reservations.queries.js';
import { idempotencyKey, refParams, seatId, showParams } from './booking.schemas.js';
import { problem } from './problem.schema.js';
import { route, type RouteSpec } from './route.js';
import { salesCsv } from './sales-csv.js';
import { textField } from './text-field.js';

const adminOnly = {
  401: { description: 'No valid access token', schema: problem },
  403: { description: 'AUTH.ADMIN_ONLY', schema: problem },
};
const badInput = { 400: { description: 'A field is missing, malformed, too long or unknown', schema: problem } };
const noStore = { 'Cache-Control': 'no-store' };
const reservation = z
  .object({
    reservationId: z.string(),
    showId: z.string(),
    memberId: z.string(),
    email: z.string().optional().describe('Absent once the buyer withdrew'),
    name: z.string().optional(),
    seats: z.array(z.string()),
    quantity: z.number().int(),
    total: z.number().int(),
    status: z.enum(['confirmed', 'cancelled']),
  })
  .loose();
const history = z.array(
  z
    .object({
      position: z.number().int(),
      type: z.string(),
      at: z.iso.datetime(),
      actor: z.string().describe('Member id of who acted, or `system`'),
      onBehalfOf: z.string().optional().describe('The buyer, when an admin acted for them'),
      correlationId: z.string().optional().describe('The id of the request that caused it'),
    })
    .loose(),
);
const search = z
  .strictObject({
    showId: z.string().min(1).max(64).optional(),
    email: z.string().trim().min(3).max(254).optional().describe('The exact address'),
    name: z.string().trim().min(1).max(100).optional().describe('Part of the name, any case'),
    seat: seatId.optional(),
  })
  .refine((q) => Object.keys(q).length > 0, 'name showId, email, name or seat');

/** The organizer's reservations: search, cancel on a buyer's behalf, CSV export, and histories from the event log. */
export function adminReservationRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const queries = container.resolve(AdminReservationQueries);
  const cancel = container.resolve(CancelOnBehalfHandler);
  const histories = container.resolve(BookingHistoryQuery);
  return [
    route({
      method: 'get',
      path: '/api/admin/reservations',
      summary: 'Search reservations by show, buyer e-mail, part of the buyer’s name, or seat (admin)',
      tag: 'organizer',
      access: 'admin',
      query: search,
      responses: { 200: { description: 'At most 200, newest first', schema: z.array(reservation) }, ...badInput, ...adminOnly },
      handle: async ({ query }) => ({ status: 200, body: await queries.search(query), headers: noStore }),
    }),
    route({
      method: 'post',
      path: '/api/admin/reservations/:id/cancel',
      summary: 'Cancel a buyer’s reservation on their behalf, with a reason (recorded in the event) (admin)',
      tag: 'organizer',
      access: 'admin',
      params: refParams,
      body: z.strictObject({ reason: textField(500).describe('Why; kept in the ReservationCancelled event') }),
      responses: {
        204: { description: 'Cancelled (or it was already)' },
        ...badInput,
        ...adminOnly,
        404: { description: 'BOOKING.RESERVATION_NOT_FOUND', schema: problem },
        409: {
          description: 'BOOKING.SHOW_STARTED, BOOKING.TICKETS_USED (a ticket was admitted at the door: `checkedIn` lists them)',
          schema: problem,
        },
      },
      handle: async ({ params, body, principal, headers }) => {
        const key = idempotencyKey(headers);
        await cancel.handle({
          reservationId: params.id,
          adminId: principal.memberId,
          reason: body.reason,
          ...(key ? { idempotencyKey: key } : {}),
        });
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/api/admin/shows/:id/reservations.csv',
      summary: 'A show’s reservations as CSV (admin)',
      tag: 'organizer',
      access: 'admin',
      params: showParams,
      responses: { 200: { description: 'text/csv: one line per reservation, confirmed and cancelled' }, ...adminOnly },
      handle: async ({ params }) => ({
        status: 200,
        body: salesCsv(await queries.search({ showId: params.id, limit: 1_000_000 })),
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="sales-${params.id}.csv"`,
          ...noStore,
        },
      }),
    }),
    route({
      method: 'get',
      path: '/api/admin/reservations/:id/history',
      summary: 'Every event that touched a reservation, in order, with time, actor and correlation id (admin)',
      tag: 'organizer',
      access: 'admin',
      params: refParams,
      responses: {
        200: { description: 'The events, oldest first', schema: history },
        ...adminOnly,
        404: { description: 'BOOKING.RESERVATION_NOT_FOUND', schema: problem },
      },
      handle: async ({ params }) => ({ status: 200, body: await histories.ofReservation(params.id), headers: noStore }),
    }),
    route({
      method: 'get',
      path: '/api/admin/shows/:id/seats/:seat/history',
      summary: 'Every event that touched a seat, in order, with time, actor and correlation id (admin)',
      tag: 'organizer',
      access: 'admin',
      params: z.strictObject({ id: z.string().min(1).max(64), seat: seatId }),
      responses: {
        200: { description: 'The events, oldest first (none for a seat never held)', schema: history },
        ...badInput,
        ...adminOnly,
      },
      handle: async ({ params }) => ({ status: 200, body: await histories.ofSeat(params.id, params.seat), headers: noStore }),
    }),
  ];
}
