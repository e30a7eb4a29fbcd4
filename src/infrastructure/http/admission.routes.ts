import type { Socket } from 'node:net';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import type { AdmissionSettings } from '../../application/admission/admission-settings.js';
import { drawAudit } from '../../application/admission/draw-audit.query.js';
import { JoinQueueHandler } from '../../application/admission/join-queue.handler.js';
import { LeaveQueueHandler } from '../../application/admission/leave-queue.handler.js';
import { QueueStatusHandler } from '../../application/admission/queue-status.handler.js';
import type { QueueView } from '../../application/admission/queue-view.js';
import type { LongPoll } from '../../application/admission/queue-watch.js';
import { HoldSeatsHandler } from '../../application/booking/hold-seats.handler.js';
import type { AdmissionGate } from '../../application/ports/admission-gate.js';
import type { EventStore } from '../../application/ports/event-store.js';
import { TOKENS } from '../../application/tokens.js';
import type { Logger } from '../logging/logger.js';
import { holdAnswer, holdBody } from './booking.schemas.js';
import { eventStreamRoute } from './event-stream-route.js';
import { holdAtAdmission } from './hold-at-admission.js';
import { preferredWait } from './queue-long-poll.js';
import { route, type RouteSpec } from './route.js';
import { problem } from './problem.schema.js';

// no braces or separators: a show id becomes part of the Redis hash tag {show:<id>}
const params = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, - or _') });
const view = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('waiting'),
    preQueue: z.boolean().describe('true before sales open: the order is drawn at opening'),
    position: z.number().int().nullable(),
    ahead: z.number().int().nullable(),
    etaSeconds: z.number().int().describe('before opening: seconds until the draw; after: the shortest likely wait'),
    etaHighSeconds: z.number().int().optional().describe('the longest likely wait (every place taken kept as long as allowed)'),
    opensAt: z.iso.datetime().optional(),
  }),
  z.object({
    state: z.literal('admitted'),
    admissionToken: z.string().describe('send with holds as the Admission-Token header'),
    expiresAt: z.iso.datetime().describe('end of the lease unless renewed by polling, listening or holding'),
    tokenExpiresAt: z.iso.datetime(),
    hold: holdAnswer.optional().describe('The hold the join asked for, placed at admission (as POST /holds answers it)'),
    holdProblem: problem
      .optional()
      .describe('Why the hold the join asked for was not placed (as POST /holds would refuse it): the admission stands, hold as usual'),
  }),
  z.object({ state: z.literal('closed'), reason: z.enum(['sold_out', 'sales_closed']) }),
]);
const joinBody = z.strictObject({
  hold: holdBody
    .optional()
    .describe('What to hold once admitted, as the body of POST /api/shows/:id/holds: the answer that admits carries the hold'),
});
const hex = z.string().regex(/^[0-9a-f]{64}$/);
const drawView = z.object({
  showId: z.string(),
  commitment: hex.nullable().describe('sha256 of the seed, published before the opening'),
  committedAt: z.iso.datetime().nullable().describe('when the seed was kept'),
  publishedAt: z.iso.datetime().nullable().describe('when the commitment was recorded'),
  drawn: z.boolean(),
  entrants: z.number().int().nullable().describe('how many joined before the opening and entered the draw'),
  seed: z.string().nullable().describe('revealed by the draw: drawOrder(entrants in join order, seed) is the order'),
  drawnAt: z.iso.datetime().nullable(),
  entrantsDigest: hex.nullable().describe('sha256 of the entrants in join order, one member id a line'),
  seedMatchesCommitment: z.boolean().nullable(),
});
const common = {
  400: { description: 'The show id is malformed', schema: problem },
  401: { description: 'No valid access token', schema: problem },
  404: { description: 'ADMISSION.SHOW_NOT_FOUND / ADMISSION.NOT_IN_QUEUE', schema: problem },
  409: { description: 'ADMISSION.QUEUE_DISABLED: the show sells without a queue', schema: problem },
  503: { description: 'ADMISSION.UNAVAILABLE: the queue store is down (Retry-After)', schema: problem },
};

/** The waiting room: join, poll or listen, leave. */
export function admissionRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  // resolved on first use: the sale catalogue comes from the booking module
  const join = once(() => container.resolve(JoinQueueHandler));
  const status = once(() => container.resolve(QueueStatusHandler));
  const leave = once(() => container.resolve(LeaveQueueHandler));
  const settings = once(() => container.resolve<AdmissionSettings>(TOKENS.AdmissionSettings));
  const events = once(() => container.resolve<EventStore>(TOKENS.EventStore));
  const holdIfAdmitted = holdAtAdmission({
    holds: once(() => container.resolve(HoldSeatsHandler)),
    gate: once(() => container.resolve<AdmissionGate>(TOKENS.AdmissionGate)),
    logger: once(() => container.resolve<Logger>(TOKENS.Logger)),
  });
  return [
    route({
      method: 'post',
      path: '/api/shows/:id/queue',
      summary:
        'Join the waiting room (joining again keeps the place); with Prefer: wait=<s> (≤ 30) the answer waits for admission; with { hold } the admission comes with that hold (joining again: the same hold)',
      tag: 'admission',
      access: 'member',
      params,
      body: joinBody,
      responses: {
        200: { description: 'Your place (admitted: with the hold asked for, or the problem that refused it)', schema: view },
        ...common,
        400: { description: 'The show id or the hold asked for is malformed (nobody joined)', schema: problem },
        429: { description: 'ADMISSION.TOO_MANY_JOINS (Retry-After)', schema: problem },
      },
      // a crowd's joins wait their turn (JOINS_IN_PROGRESS), and an admitted member's hold goes ahead of them
      yields: true,
      // a crowd joins by the thousand a second: answered before Koa (hot-routes.ts), in the same turns
      hot: true,
      handle: async ({ params: { id }, body, principal, ip, headers, request, yieldTurn }) =>
        longPolled(
          headers.prefer,
          request.socket,
          async (poll) => {
            const memberId = principal.memberId;
            const view = await join().handle({ showId: id, memberId, ip }, poll);
            // the join's work is done: the hold it asked for is an admitted member's, which waits behind no joins
            if (body?.hold && view.state === 'admitted') yieldTurn();
            return holdIfAdmitted(view, { showId: id, memberId, request: body?.hold });
          },
          yieldTurn,
        ),
    }),
    route({
      method: 'get',
      path: '/api/shows/:id/queue',
      summary: 'Where you stand (renews an admitted lease, refreshes the token); with Prefer: wait=<s> (≤ 30) a long poll',
      tag: 'admission',
      access: 'member',
      params,
      responses: { 200: { description: 'Your place', schema: view }, ...common },
      // polled by every waiting member: answered before Koa (hot-routes.ts)
      hot: true,
      // a long poll's yieldTurn parks its connection while the answer is held back (parked-poll.ts)
      handle: async ({ params: { id }, principal, headers, request, yieldTurn }) =>
        longPolled(
          headers.prefer,
          request.socket,
          (poll) => status().handle({ showId: id, memberId: principal.memberId }, poll),
          yieldTurn,
        ),
    }),
    eventStreamRoute({
      path: '/api/shows/:id/queue/events',
      summary:
        'Server-Sent Events: position, then admitted; closed/gone/unavailable end the stream. With Connection: Upgrade and Upgrade: onsale-events (Nginx sends them) the answer is the same 200, off the HTTP server',
      tag: 'admission',
      access: 'member',
      params,
      responses: { 200: { description: 'text/event-stream' }, ...common },
      stream: {
        retryMs: 5000,
        // a 404 or 503 goes out as a problem, before the stream opens
        open: async ({ params: { id }, principal }) => {
          const { start } = await status().follow({ showId: id, memberId: principal.memberId });
          return (sink) => start(sink, { tokenRefreshMs: (settings().tokenTtlSeconds * 1000) / 2 });
        },
      },
    }),
    route({
      method: 'get',
      path: '/api/shows/:id/queue/draw',
      summary: "The pre-queue draw, auditable: the seed's commitment before opening, the seed and entrant count after",
      tag: 'admission',
      access: 'public',
      params,
      responses: { 200: { description: 'The draw (all null before anyone entered it)', schema: drawView }, 400: common[400] },
      handle: async ({ params: { id } }) => ({ status: 200, body: await drawAudit(events(), id) }),
    }),
    route({
      method: 'delete',
      path: '/api/shows/:id/queue',
      summary: 'Leave the waiting room (or end your admission): the place goes to the next',
      tag: 'admission',
      access: 'member',
      params,
      responses: { 204: { description: 'Left (also when you were not in it)' }, ...common },
      handle: async ({ params: { id }, principal }) => {
        await leave().handle({ showId: id, memberId: principal.memberId });
        return { status: 204 };
      },
    }),
  ];
}

/**
 * With `Prefer: wait=<seconds>` (at most 30) a waiting member's answer is held back until they are
 * admitted, the queue closes or the wait is over (a long poll); otherwise it goes at once.
 */
async function longPolled(
  prefer: string | string[] | undefined,
  socket: Socket,
  answer: (poll?: LongPoll) => Promise<QueueView>,
  parked?: () => void,
) {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  const seconds = preferredWait(prefer);
  if (seconds === 0) return { status: 200, body: await answer(), headers };
  // the client gone is its socket's close (a parked poll's request hears nothing any more): the
  // request itself is not kept while the answer waits
  const gone = new AbortController();
  const onClose = () => gone.abort();
  // on/off, not once: a once wrapper is three more objects a waiting poll keeps
  socket.on('close', onClose);
  try {
    const view = await answer({ waitMs: seconds * 1000, signal: gone.signal, parked });
    return { status: 200, body: view, headers: { ...headers, 'Preference-Applied': `wait=${seconds}` } };
  } finally {
    socket.off('close', onClose);
  }
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
