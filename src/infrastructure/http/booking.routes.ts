import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { CancelReservationHandler } from '../../application/booking/cancel-reservation.handler.js';
import { ConfirmHoldHandler } from '../../application/booking/confirm-hold.handler.js';
import { HoldSeatsHandler } from '../../application/booking/hold-seats.handler.js';
import { READ_YOUR_WRITES_MS, RESERVATIONS_PROJECTION } from '../../application/booking/read-models.js';
import { ReleaseHoldHandler } from '../../application/booking/release-hold.handler.js';
import type { EventStore } from '../../application/ports/event-store.js';
import type { ProjectionWaiter } from '../../application/ports/projection-waiter.js';
import { TOKENS } from '../../application/tokens.js';
import { ReservationQueries } from '../../projections/reservations/reservations.queries.js';
import { admissionToken, holdAnswer, holdBody, idempotencyKey, refParams, showParams } from './booking.schemas.js';
import { problem } from './problem.schema.js';
import { route, type RouteSpec } from './route.js';

const unauthenticated = { 401: { description: 'No valid access token', schema: problem } };
const noStore = { 'Cache-Control': 'no-store' };
const reservation = z
  .object({ reservationId: z.string(), holdId: z.string(), showId: z.string(), seats: z.array(z.string()), total: z.number().int() })
  .loose();

/** Holds, confirmations and reservations. Holds, confirms and cancels accept an Idempotency-Key. */
export function bookingRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const holdSeats = container.resolve(HoldSeatsHandler);
  const confirm = container.resolve(ConfirmHoldHandler);
  const release = container.resolve(ReleaseHoldHandler);
  const cancel = container.resolve(CancelReservationHandler);
  const reservations = container.resolve(ReservationQueries);
  const store = container.resolve<EventStore>(TOKENS.EventStore);
  const waiter = container.resolve<ProjectionWaiter>(TOKENS.ProjectionWaiter);
  return [
    route({
      method: 'post',
      path: '/api/shows/:id/holds',
      summary:
        'Hold seats until the hold expires, all or nothing: named seats, a quantity of general admission, or on reserved seating the best seats available for a quantity',
      tag: 'booking',
      access: 'member',
      params: showParams,
      body: holdBody,
      // thousands a second in a sale: served before Koa (hot-routes.ts), as Koa would answer
      hot: true,
      responses: {
        201: { description: 'Held', schema: holdAnswer },
        400: { description: 'Malformed request, unknown seats, or the wrong kind for the show', schema: problem },
        ...unauthenticated,
        403: { description: 'ADMISSION.REQUIRED / ADMISSION.INVALID: the show’s queue admits first', schema: problem },
        404: { description: 'CATALOG.SHOW_NOT_FOUND', schema: problem },
        409: {
          description:
            'BOOKING.SEATS_UNAVAILABLE (naming the seats, or requested/available), BOOKING.NOT_TOGETHER (with biggestBlock), BOOKING.ORPHAN_SEAT (seat, suggestion), BOOKING.LIMIT_EXCEEDED, BOOKING.SALES_CLOSED, WAITLIST.MEMBERS_WAITING (returned seats go to the waiting list first)',
          schema: problem,
        },
        503: { description: 'BOOKING.BUSY or the queue store is down: retry after Retry-After', schema: problem },
      },
      handle: async ({ params, body, principal, headers }) => {
        const held = await holdSeats.handle({
          showId: params.id,
          memberId: principal.memberId,
          request: body,
          admissionToken: admissionToken(headers),
          idempotencyKey: idempotencyKey(headers),
        });
        return { status: 201, body: held, headers: noStore };
      },
    }),
    route({
      method: 'post',
      path: '/api/holds/:id/confirm',
      summary: 'Confirm a hold: its seats are sold to you',
      tag: 'booking',
      access: 'member',
      params: refParams,
      hot: true,
      responses: {
        201: { description: 'Reserved', schema: reservation },
        ...unauthenticated,
        404: { description: 'BOOKING.HOLD_NOT_FOUND (also somebody else’s hold)', schema: problem },
        409: { description: 'BOOKING.HOLD_EXPIRED, BOOKING.HOLD_RELEASED', schema: problem },
      },
      handle: async ({ params, principal, headers }) => {
        const done = await confirm.handle({ holdId: params.id, memberId: principal.memberId, idempotencyKey: idempotencyKey(headers) });
        return { status: 201, body: done, headers: noStore };
      },
    }),
    route({
      method: 'delete',
      path: '/api/holds/:id',
      summary: 'Release a hold: its seats are free at once',
      tag: 'booking',
      access: 'member',
      params: refParams,
      responses: {
        204: { description: 'Released' },
        ...unauthenticated,
        404: { description: 'BOOKING.HOLD_NOT_FOUND', schema: problem },
        409: { description: 'BOOKING.HOLD_CONFIRMED: cancel the reservation instead', schema: problem },
      },
      handle: async ({ params, principal, headers }) => {
        await release.handle({ holdId: params.id, memberId: principal.memberId, idempotencyKey: idempotencyKey(headers) });
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/api/members/me/reservations',
      summary: 'Your reservations, newest first',
      tag: 'booking',
      access: 'member',
      responses: { 200: { description: 'Reservations', schema: z.array(reservation) }, ...unauthenticated },
      handle: async ({ principal }) => {
        // read-your-writes: everything committed before this request is in the answer
        await waiter.waitFor(RESERVATIONS_PROJECTION, await store.headPosition(), READ_YOUR_WRITES_MS);
        return { status: 200, body: await reservations.ofMember(principal.memberId), headers: noStore };
      },
    }),
    route({
      method: 'delete',
      path: '/api/reservations/:id',
      summary: 'Cancel a reservation before the show starts and before any of its tickets is admitted; its seats are for sale again',
      tag: 'booking',
      access: 'member',
      params: refParams,
      responses: {
        204: { description: 'Cancelled' },
        ...unauthenticated,
        404: { description: 'BOOKING.RESERVATION_NOT_FOUND', schema: problem },
        409: {
          description: 'BOOKING.SHOW_STARTED, BOOKING.TICKETS_USED (a ticket was admitted at the door: `checkedIn` lists them)',
          schema: problem,
        },
      },
      handle: async ({ params, principal, headers }) => {
        await cancel.handle({ reservationId: params.id, memberId: principal.memberId, idempotencyKey: idempotencyKey(headers) });
        return { status: 204 };
      },
    }),
  ];
}
