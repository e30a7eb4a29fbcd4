import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { SetUpFirstAdminHandler } from '../../application/members/set-up-first-admin.handler.js';
import { problem } from './problem.schema.js';
import { route, type RouteSpec } from './route.js';
import { textField } from './text-field.js';

const token = z.string().min(1).max(100).describe('The token of the setup link printed at start-up');
const refused = {
  403: { description: 'SETUP.TOKEN_REFUSED: the link is not valid, has expired or has been used (`reason`)', schema: problem },
  409: { description: 'SETUP.DONE: the store has an admin already', schema: problem },
};

/** The first admin, through the one-time link a server prints on a store with no admin. */
export function setupRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const setUp = container.resolve(SetUpFirstAdminHandler);
  return [
    route({
      method: 'get',
      path: '/api/setup',
      summary: 'Whether a setup link works now',
      tag: 'members',
      access: 'public',
      query: z.strictObject({ token }),
      responses: {
        204: { description: 'It does: the account created with it will be an admin' },
        400: { description: 'No token', schema: problem },
        ...refused,
      },
      handle: async ({ query }) => {
        await setUp.check(query.token);
        return { status: 204, headers: { 'Cache-Control': 'no-store' } };
      },
    }),
    route({
      method: 'post',
      path: '/api/setup',
      summary: 'Create the first admin with a setup link (once per link)',
      tag: 'members',
      access: 'public',
      body: z.strictObject({
        token,
        email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
        password: z.string().min(10).max(128).describe('10 to 128 characters'),
        name: textField(100),
      }),
      responses: {
        201: { description: 'The admin account; log in with it', schema: z.object({ id: z.uuid(), email: z.string(), name: z.string() }) },
        400: { description: 'A field is missing, malformed, too long, or unknown', schema: problem },
        ...refused,
        409: { description: 'SETUP.DONE: the store has an admin already; MEMBER.EMAIL_TAKEN', schema: problem },
      },
      handle: async ({ body }) => ({ status: 201, body: await setUp.handle(body), headers: { Location: '/api/members/me' } }),
    }),
  ];
}
