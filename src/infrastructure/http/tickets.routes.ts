import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { GrantStaffHandler } from '../../application/members/grant-staff.handler.js';
import type { TicketSigner } from '../../application/ports/ticket-signer.js';
import { CheckInHandler } from '../../application/tickets/check-in.handler.js';
import { DoorListHandler } from '../../application/tickets/door-list.handler.js';
import { ShowCheckInsHandler } from '../../application/tickets/show-check-ins.handler.js';
import { ShowNotFound } from '../../domain/catalog/catalog.errors.js';
import { ShowQueries } from '../../projections/catalog/show.queries.js';
import { ReservationTicketsHandler } from '../../application/tickets/reservation-tickets.handler.js';
import { TOKENS } from '../../application/tokens.js';
import { qrSvg } from '../tickets/qr-svg.js';
import { refParams, showParams } from './booking.schemas.js';
import { problem } from './problem.schema.js';
import { route, type RouteSpec } from './route.js';

const unauthenticated = { 401: { description: 'No valid access token', schema: problem } };
const noStore = { 'Cache-Control': 'no-store' };
const jwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  use: z.literal('sig'),
  alg: z.literal('EdDSA'),
});
const ticket = z.object({
  ticketId: z.string(),
  seat: z.string().describe('The seat id, or GA for general admission'),
  code: z.string().optional().describe('The signed ticket code (absent when revoked)'),
  qrSvg: z.string().optional().describe('The code as a QR code, an SVG document'),
  checkedInAt: z.iso.datetime().optional(),
  gate: z.string().optional(),
});
const checkInBody = z.strictObject({
  code: z.string().min(1).max(400).describe('The ticket code, as read from its QR code'),
  gate: z
    .string()
    .regex(/^[A-Za-z0-9 _.-]{1,40}$/, 'letters, digits, spaces, _ . -, at most 40')
    .describe('Which gate scanned it'),
  showId: z.string().min(1).max(64).optional().describe('The show this door admits to: a ticket for another show is refused'),
  scannedAt: z.iso
    .datetime()
    .optional()
    .describe('When an offline scanner admitted it: recorded as checkedInAt if within 24 hours (a later clock counts as now)'),
});
const checkedIn = z.object({
  ticketId: z.string(),
  showId: z.string(),
  reservationId: z.string(),
  seat: z.string(),
  gate: z.string(),
  staffId: z.string(),
  checkedInAt: z.iso.datetime(),
});
const gateCount = z.object({ gate: z.string(), checkedIn: z.number().int(), lastAt: z.iso.datetime() });
const showCheckIns = z.object({
  showId: z.string(),
  checkedIn: z.number().int().describe('Tickets admitted so far'),
  total: z.number().int().describe('Tickets sold and not cancelled'),
  gates: z.array(gateCount).describe('Per gate, busiest first'),
  forged: z
    .array(z.object({ gate: z.string(), forged: z.number().int(), lastAt: z.iso.datetime() }))
    .describe(
      'Forged codes scanned (TICKET.FORGED, TICKET.UNKNOWN_KEY) per gate, most first: see docs/tickets.md for how a scan is attributed to a show',
    ),
});
const doorList = z.object({
  showId: z.string(),
  asOf: z.iso.datetime().describe('When these lists were read'),
  keys: z.array(jwk).describe('The keys that verify ticket codes (as GET /api/tickets/keys)'),
  revokedReservations: z.array(z.string()).describe('Cancelled reservations: their tickets are revoked'),
  admitted: z.array(z.object({ ticketId: z.string(), gate: z.string(), checkedInAt: z.iso.datetime() })),
});
const notStaff = { 403: { description: 'CHECKIN.NOT_STAFF: not door staff of this show', schema: problem } };
const showNotFound = { 404: { description: 'CATALOG.SHOW_NOT_FOUND', schema: problem } };
const staffBody = z.strictObject({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  showId: z.string().min(1).max(64).optional().describe('Staff of this show only; without it, of every show'),
});

/** E-tickets, their keys, door check-in and who may check in. */
export function ticketRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const signer = container.resolve<TicketSigner>(TOKENS.TicketSigner);
  const tickets = container.resolve(ReservationTicketsHandler);
  const checkIn = container.resolve(CheckInHandler);
  const grantStaff = container.resolve(GrantStaffHandler);
  const counts = container.resolve(ShowCheckInsHandler);
  const doorLists = container.resolve(DoorListHandler);
  const shows = container.resolve(ShowQueries);
  const showOr404 = async (id: string) => (await shows.get(id)) ?? Promise.reject(new ShowNotFound(id));
  return [
    route({
      method: 'get',
      path: '/api/tickets/keys',
      summary: 'The public keys that verify ticket codes (JWKS, Ed25519): retired keys are left out',
      tag: 'tickets',
      access: 'public',
      responses: { 200: { description: 'A JSON Web Key Set', schema: z.object({ keys: z.array(jwk) }) } },
      handle: async () => ({ status: 200, body: { keys: await signer.publicKeys() }, headers: { 'Cache-Control': 'max-age=60' } }),
    }),
    route({
      method: 'get',
      path: '/api/reservations/:id/tickets',
      summary: 'Your tickets of a reservation: a signed code and a QR code (SVG) each; none once it is cancelled',
      tag: 'tickets',
      access: 'member',
      params: refParams,
      responses: {
        200: {
          description: 'The tickets',
          schema: z.object({
            reservationId: z.string(),
            showId: z.string(),
            status: z.enum(['valid', 'revoked']),
            tickets: z.array(ticket),
          }),
        },
        ...unauthenticated,
        404: { description: 'BOOKING.RESERVATION_NOT_FOUND (also somebody else’s reservation)', schema: problem },
      },
      handle: async ({ params, principal }) => {
        const found = await tickets.handle({ reservationId: params.id, memberId: principal.memberId });
        const withQr = await Promise.all(found.tickets.map(async (t) => (t.code ? { ...t, qrSvg: await qrSvg(t.code) } : t)));
        return { status: 200, body: { ...found, tickets: withQr }, headers: noStore };
      },
    }),
    route({
      method: 'post',
      path: '/api/checkins',
      summary: 'Admit a ticket at a gate, once: door staff of its show (or of every show) only',
      tag: 'tickets',
      access: 'member',
      body: checkInBody,
      responses: {
        201: { description: 'Admitted: a TicketCheckedIn event', schema: checkedIn },
        400: {
          description:
            'HTTP.VALIDATION, TICKET.MALFORMED, TICKET.FORGED (the signature does not verify), TICKET.UNKNOWN_KEY, CHECKIN.SCAN_TOO_OLD',
          schema: problem,
        },
        ...unauthenticated,
        403: { description: 'CHECKIN.NOT_STAFF: not door staff of this show', schema: problem },
        404: { description: 'TICKET.NOT_FOUND', schema: problem },
        409: {
          description: 'TICKET.ALREADY_USED (with checkedInAt and gate), TICKET.REVOKED, TICKET.WRONG_SHOW, TICKET.KEY_RETIRED',
          schema: problem,
        },
      },
      handle: async ({ body, principal }) => {
        const done = await checkIn.handle({
          code: body.code,
          gate: body.gate,
          staff: principal,
          ...(body.showId ? { showId: body.showId } : {}),
          ...(body.scannedAt ? { scannedAt: new Date(body.scannedAt) } : {}),
        });
        const { position: _position, ...event } = done;
        return { status: 201, body: event, headers: noStore };
      },
    }),
    route({
      method: 'get',
      path: '/api/shows/:id/checkins',
      summary: 'Check-ins of a show: admitted of sold, and per gate (its door staff, staff of every show, admins)',
      tag: 'tickets',
      access: 'member',
      params: showParams,
      responses: {
        200: { description: 'Counts from the check-ins read model (moments behind the door)', schema: showCheckIns },
        ...unauthenticated,
        ...notStaff,
        ...showNotFound,
      },
      handle: async ({ params, principal }) => {
        const found = await counts.handle({ showId: params.id, staff: principal });
        await showOr404(params.id);
        return { status: 200, body: found, headers: noStore };
      },
    }),
    route({
      method: 'get',
      path: '/api/shows/:id/door-list',
      summary: 'What an offline door scanner keeps: the verifying keys, revoked reservations and tickets admitted so far',
      tag: 'tickets',
      access: 'member',
      params: showParams,
      responses: {
        200: { description: 'The lists, as of `asOf`', schema: doorList },
        ...unauthenticated,
        ...notStaff,
        ...showNotFound,
      },
      handle: async ({ params, principal }) => {
        const list = await doorLists.handle({ showId: params.id, staff: principal });
        await showOr404(params.id);
        return { status: 200, body: list, headers: noStore };
      },
    }),
    route({
      method: 'post',
      path: '/api/staff',
      summary: 'Make a member door staff of one show, or of every show (in their tokens from their next log-in)',
      tag: 'tickets',
      access: 'admin',
      body: staffBody,
      responses: {
        201: {
          description: 'Granted (changed: false when they had it)',
          schema: z.object({ memberId: z.string(), role: z.string(), changed: z.boolean() }),
        },
        400: { description: 'Malformed request', schema: problem },
        ...unauthenticated,
        403: { description: 'AUTH.ADMIN_ONLY', schema: problem },
        404: { description: 'MEMBER.NOT_FOUND', schema: problem },
        409: { description: 'MEMBER.TOO_MANY_SHOW_ROLES: grant every show instead', schema: problem },
      },
      handle: async ({ body }) => {
        const { position: _position, ...granted } = await grantStaff.handle({
          email: body.email,
          ...(body.showId ? { showId: body.showId } : {}),
        });
        return { status: 201, body: granted, headers: noStore };
      },
    }),
  ];
}
