import { z } from 'zod';
import { DomainError } from '../../domain/shared/domain-error.js';
import { textField } from './text-field.js';

const instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .describe('ISO-8601 date and time with a zone');
const price = z.number().int().min(0).max(100_000_000).describe('Minor units of the currency (cents)');
const queue = z.strictObject({
  enabled: z.boolean(),
  admitPerSecond: z.number().int().min(1).max(100_000),
  maxActive: z.number().int().min(1).max(1_000_000),
});
const seatKey = z.string().regex(/^[1-9][0-9]{0,3}-[1-9][0-9]{0,3}$/, 'a seat of the section as "<row>-<seat>", such as "3-7"');
const halfStep = z.number().min(0).max(1000).multipleOf(0.5);
const section = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9]{1,8}$/, 'letters and digits, at most 8'),
  name: textField(100),
  rows: z.number().int().min(1).max(500),
  seatsPerRow: z.number().int().min(1).max(500),
  price,
  rank: z.number().int().min(1).max(100).optional().describe('1 is the best section; default: the dearest sections first'),
  focal: z
    .strictObject({ row: halfStep, seat: halfStep })
    .optional()
    .describe('Where the stage is (row 0.5 is just before row 1); default row 1, the middle of the row'),
  seatQuality: z
    .record(seatKey, z.number().int().min(0).max(10_000_000))
    .optional()
    .describe('Score overrides per seat (lower is better; default 1000 per row plus 1 per seat from the focal point)'),
  aisles: z.array(z.number().int().min(1).max(499)).max(100).optional().describe('An aisle after each of these seat numbers'),
  wheelchair: z.array(seatKey).max(1000).optional().describe('Wheelchair places, "<row>-<seat>"'),
  companions: z.array(seatKey).max(1000).optional().describe('Companion seats beside wheelchair places, "<row>-<seat>"'),
  blocked: z
    .array(seatKey)
    .max(10_000)
    .optional()
    .describe('Seats left out of the section (a pillar, a camera platform), "<row>-<seat>": never for sale'),
});
const seating = z.union([
  z.strictObject({
    sections: z
      .array(section)
      .min(1)
      .max(100)
      .refine((sections) => sections.reduce((sum, s) => sum + s.rows * s.seatsPerRow, 0) <= 100_000, 'at most 100,000 seats'),
  }),
  z.strictObject({ generalAdmission: z.strictObject({ capacity: z.number().int().min(1).max(1_000_000), price }) }),
]);

export const showBody = z.strictObject({
  title: textField(200),
  venue: textField(200),
  startsAt: instant,
  salesOpenAt: instant,
  salesCloseAt: instant.optional(),
  maxTicketsPerMember: z.number().int().min(1).max(100),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  seating,
  queue,
  orphanSeats: z
    .enum(['off', 'warn', 'refuse'])
    .optional()
    .describe('Hand-picked holds that strand a single seat: allowed, answered with a warning, or refused (default off)'),
});

export const saleChangesBody = z
  .strictObject({
    salesOpenAt: instant.optional(),
    salesCloseAt: instant.nullable().optional(),
    maxTicketsPerMember: z.number().int().min(1).max(100).optional(),
    queue: queue.optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, 'name at least one thing to change');

export const seatId = z.string().regex(/^[A-Za-z0-9]{1,8}-[1-9][0-9]{0,3}-[1-9][0-9]{0,3}$/, 'a seat id such as A-3-7');

export const holdBody = z.union([
  z.strictObject({ seats: z.array(seatId).min(1).max(100) }),
  z.strictObject({
    quantity: z.number().int().min(1).max(100),
    section: z
      .string()
      .regex(/^[A-Za-z0-9]{1,8}$/, 'a section id')
      .optional()
      .describe('Reserved seating: only this section'),
    maxPrice: price.optional().describe('Reserved seating: only sections at most this price'),
    together: z
      .enum(['required', 'preferred'])
      .optional()
      .describe('Reserved seating: side by side in one row or refuse (required, the default), or else the best seats apart (preferred)'),
    accessible: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('Reserved seating: wheelchair places; the rest sit in companion seats beside them'),
  }),
]);

/** What POST /api/shows/:id/holds answers (and a join that asked for a hold carries). */
export const holdAnswer = z.object({
  holdId: z.string(),
  showId: z.string(),
  seats: z.array(z.string()),
  quantity: z.number().int(),
  total: z.number().int(),
  currency: z.string(),
  expiresAt: z.iso.datetime(),
  together: z.boolean().optional().describe('Best available: the party sits side by side in one row'),
  warnings: z
    .array(z.object({ code: z.literal('BOOKING.ORPHAN_SEAT'), seat: z.string(), suggestion: z.array(z.string()).optional() }))
    .optional()
    .describe('The show warns of hand-picked seats that strand a single seat'),
});
export const showParams = z.strictObject({ id: z.string().min(1).max(64) });
export const refParams = z.strictObject({ id: z.string().min(1).max(120) });

/** The optional Idempotency-Key header: 1 to 128 visible characters. */
export function idempotencyKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw new DomainError('validation', 'HTTP.BAD_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 128 visible ASCII characters');
  }
  return value;
}

export function admissionToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers['admission-token'];
  return typeof value === 'string' && value.length <= 2048 ? value : undefined;
}
