import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { ChangePasswordHandler } from '../../application/members/change-password.handler.js';
import { GetMyProfileHandler } from '../../application/members/get-my-profile.handler.js';
import { LogInHandler } from '../../application/members/log-in.handler.js';
import { RenameHandler } from '../../application/members/rename.handler.js';
import { SignUpHandler } from '../../application/members/sign-up.handler.js';
import { WithdrawHandler } from '../../application/members/withdraw.handler.js';
import { route, type RouteSpec } from './route.js';
import { textField } from './text-field.js';
import { problem } from './problem.schema.js';

const email = z.string().trim().toLowerCase().max(254).pipe(z.email()).describe('E-mail address; compared trimmed and lower-cased');
const newPassword = z.string().min(10).max(128).describe('10 to 128 characters');
const name = textField(100);

const profile = z.object({ id: z.uuid(), email: z.string(), name: z.string(), roles: z.array(z.string()), registeredAt: z.iso.datetime() });
const fieldErrors = { 400: { description: 'A field is missing, malformed, too long, or unknown', schema: problem } };
const unauthenticated = { 401: { description: 'No valid access token', schema: problem } };

/** Sign-up, log-in, and the member's own profile, password and withdrawal. */
export function memberRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  const signUp = container.resolve(SignUpHandler);
  const logIn = container.resolve(LogInHandler);
  const myProfile = container.resolve(GetMyProfileHandler);
  const rename = container.resolve(RenameHandler);
  const changePassword = container.resolve(ChangePasswordHandler);
  const withdraw = container.resolve(WithdrawHandler);
  return [
    route({
      method: 'post',
      path: '/api/members',
      summary: 'Sign up',
      tag: 'members',
      access: 'public',
      body: z.strictObject({ email, password: newPassword, name }),
      responses: {
        201: { description: 'Signed up', schema: z.object({ id: z.uuid(), email: z.string(), name: z.string() }) },
        ...fieldErrors,
        409: { description: 'MEMBER.EMAIL_TAKEN: a member with this address exists', schema: problem },
      },
      handle: async ({ body }) => {
        const member = await signUp.handle(body);
        return { status: 201, body: member, headers: { Location: '/api/members/me' } };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/login',
      summary: 'Log in: get an access token',
      tag: 'members',
      access: 'public',
      body: z.strictObject({ email: z.string().min(1).max(254), password: z.string().min(1).max(128) }),
      responses: {
        200: {
          description: 'Logged in',
          schema: z.object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number().int() }),
        },
        ...fieldErrors,
        401: { description: 'AUTH.INVALID_CREDENTIALS: the address or the password is wrong', schema: problem },
        429: { description: 'AUTH.TOO_MANY_ATTEMPTS: too many failures for this address or IP; see Retry-After', schema: problem },
      },
      handle: async ({ body, ip }) => {
        const token = await logIn.handle({ ...body, ip });
        return { status: 200, body: { accessToken: token.accessToken, tokenType: 'Bearer', expiresIn: token.expiresIn }, headers: noStore };
      },
    }),
    route({
      method: 'get',
      path: '/api/members/me',
      summary: 'My profile',
      tag: 'members',
      access: 'member',
      responses: { 200: { description: 'The profile', schema: profile }, ...unauthenticated },
      handle: async ({ principal }) => ({ status: 200, body: await myProfile.handle(principal.memberId), headers: noStore }),
    }),
    route({
      method: 'patch',
      path: '/api/members/me',
      summary: 'Change my name',
      tag: 'members',
      access: 'member',
      body: z.strictObject({ name }),
      responses: { 200: { description: 'The profile as it now is', schema: profile }, ...fieldErrors, ...unauthenticated },
      handle: async ({ principal, body }) => ({
        status: 200,
        body: await rename.handle({ memberId: principal.memberId, name: body.name }),
        headers: noStore,
      }),
    }),
    route({
      method: 'put',
      path: '/api/members/me/password',
      summary: 'Change my password; every token issued before stops working',
      tag: 'members',
      access: 'member',
      body: z.strictObject({ currentPassword: z.string().min(1).max(128), newPassword }),
      responses: {
        204: { description: 'Changed: log in again' },
        ...fieldErrors,
        401: { description: 'No valid access token, or MEMBER.CURRENT_PASSWORD_WRONG', schema: problem },
        429: { description: 'AUTH.TOO_MANY_ATTEMPTS: too many wrong current passwords; see Retry-After', schema: problem },
      },
      handle: async ({ principal, body }) => {
        await changePassword.handle({ memberId: principal.memberId, ...body });
        return { status: 204 };
      },
    }),
    route({
      method: 'delete',
      path: '/api/members/me',
      summary: 'Withdraw: my personal data is erased and the address is free again',
      tag: 'members',
      access: 'member',
      responses: { 204: { description: 'Withdrawn' }, ...unauthenticated },
      handle: async ({ principal }) => {
        await withdraw.handle(principal.memberId);
        return { status: 204 };
      },
    }),
  ];
}

const noStore = { 'Cache-Control': 'no-store' };
