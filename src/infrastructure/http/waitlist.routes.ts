import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { DeclineOfferHandler } from '../../application/waitlist/decline-offer.handler.js';
import { JoinWaitlistHandler } from '../../application/waitlist/join-waitlist.handler.js';
import { LeaveWaitlistHandler } from '../../application/waitlist/leave-waitlist.handler.js';
import { MyWaitlistPlaceQuery } from '../../application/waitlist/my-waitlist-place.query.js';
import { showParams } from './booking.schemas.js';
import { problem } from './problem.schema.js';
import { route, type RouteSpec } from './route.js';

const unauthenticated = { 401: { description: 'No valid access token', schema: problem } };
const notFound = { 404: { description: 'CATALOG.SHOW_NOT_FOUND, WAITLIST.NOT_JOINED', schema: problem } };
const noStore = { 'Cache-Control': 'no-store' };
const place = z.object({
  showId: z.string(),
  place: z.number().int().describe('1 = next in line; 0 while an offer is open to you'),
  quantity: z.number().int(),
  joinedAt: z.iso.datetime(),
  waiting: z.number().int().describe('Members waiting, not counting those with an offer open'),
  offer: z
    .object({ holdId: z.string(), seats: z.array(z.string()), quantity: z.number().int(), expiresAt: z.iso.datetime() })
    .optional()
    .describe('Seats held in your name until expiresAt: confirm them with POST /api/holds/{holdId}/confirm, or decline'),
});

/** A sold-out show's waiting list: join, see your place and offer, decline, leave; its size for admins. */
export function waitlistRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const join = container.resolve(JoinWaitlistHandler);
  const leave = container.resolve(LeaveWaitlistHandler);
  const decline = container.resolve(DeclineOfferHandler);
  const places = container.resolve(MyWaitlistPlaceQuery);
  return [
    route({
      method: 'post',
      path: '/api/shows/:id/waitlist',
      summary: 'Join a sold-out show’s waiting list, at the back; returned seats are offered in order as a hold in your name',
      tag: 'waitlist',
      access: 'member',
      params: showParams,
      body: z.strictObject({
        quantity: z.number().int().min(1).max(100).optional().describe('Tickets wanted (default 1), at most the per-member limit'),
      }),
      responses: {
        201: { description: 'On the list', schema: z.object({ place: z.number().int(), quantity: z.number().int() }) },
        400: { description: 'WAITLIST.INVALID_QUANTITY (above the per-member limit)', schema: problem },
        ...unauthenticated,
        404: { description: 'CATALOG.SHOW_NOT_FOUND', schema: problem },
        409: {
          description: 'WAITLIST.NOT_SOLD_OUT (with available), WAITLIST.ALREADY_JOINED, BOOKING.LIMIT_EXCEEDED (your tickets and these)',
          schema: problem,
        },
      },
      handle: async ({ params, body, principal }) => {
        const joined = await join.handle({ showId: params.id, memberId: principal.memberId, quantity: body.quantity });
        return { status: 201, body: joined, headers: noStore };
      },
    }),
    route({
      method: 'get',
      path: '/api/shows/:id/waitlist',
      summary: 'Your place on the show’s waiting list, and the offer open to you',
      tag: 'waitlist',
      access: 'member',
      params: showParams,
      responses: { 200: { description: 'Your place', schema: place }, ...unauthenticated, ...notFound },
      handle: async ({ params, principal }) => ({
        status: 200,
        body: await places.handle({ showId: params.id, memberId: principal.memberId }),
        headers: noStore,
      }),
    }),
    route({
      method: 'delete',
      path: '/api/shows/:id/waitlist',
      summary: 'Leave the show’s waiting list',
      tag: 'waitlist',
      access: 'member',
      params: showParams,
      responses: {
        204: { description: 'Left' },
        ...unauthenticated,
        ...notFound,
        409: { description: 'WAITLIST.OFFER_OPEN: confirm or decline the offer first', schema: problem },
      },
      handle: async ({ params, principal }) => {
        await leave.handle({ showId: params.id, memberId: principal.memberId });
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/api/shows/:id/waitlist/offer/decline',
      summary: 'Decline the offer open to you: its seats go to the next member, and you leave the list',
      tag: 'waitlist',
      access: 'member',
      params: showParams,
      responses: {
        204: { description: 'Declined' },
        ...unauthenticated,
        404: { description: 'WAITLIST.NO_OFFER', schema: problem },
        409: { description: 'BOOKING.HOLD_CONFIRMED: you confirmed it already', schema: problem },
      },
      handle: async ({ params, principal }) => {
        await decline.handle({ showId: params.id, memberId: principal.memberId });
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/api/admin/shows/:id/waitlist',
      summary: 'The size of a show’s waiting list: members waiting, and offers open',
      tag: 'waitlist',
      access: 'admin',
      params: showParams,
      responses: {
        200: { description: 'Size', schema: z.object({ showId: z.string(), waiting: z.number().int(), offered: z.number().int() }) },
        ...unauthenticated,
        403: { description: 'Admins only', schema: problem },
      },
      handle: async ({ params }) => ({ status: 200, body: await places.size(params.id), headers: noStore }),
    }),
  ];
}
