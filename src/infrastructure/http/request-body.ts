import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import type { IncomingMessage } from 'node:http';

/** How a request's body is read: JSON only, up to 16 kB, utf-8 (the Koa chain and the hot routes alike). */
export function requestBodyParser(): Middleware {
  return bodyParser({ enableTypes: ['json'], jsonLimit: '16kb', encoding: 'utf-8' });
}

/**
 * A POST's body read outside Koa by the parser Koa runs (`requestBodyParser`), so that its types,
 * limits and failures (bad JSON, too large, an unsupported charset or encoding: thrown, with their
 * status) are Koa's: the parsed JSON, `{}` for a body of another type, or undefined when the client
 * was already gone (Koa answers that 499 itself).
 */
export async function bodyOutsideKoa(parser: Middleware, request: IncomingMessage): Promise<{ body: unknown } | undefined> {
  // the few fields of a context the parser reads (method, req, request.get, request.body) and writes
  const ctx = {
    method: request.method,
    req: request,
    request: { body: undefined as unknown, get: (field: string) => request.headers[field.toLowerCase()] ?? '' },
  };
  let read = false;
  await parser(ctx as unknown as Context, async () => {
    read = true;
  });
  return read ? { body: ctx.request.body } : undefined;
}
