import { z } from 'zod';

/** An `application/problem+json` body (RFC 9457) as the one error mapping writes it, for the OpenAPI document. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  code: z.string(),
  requestId: z.string().optional(),
});
