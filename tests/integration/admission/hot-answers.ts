import { expect } from 'chai';
import type { Reply } from './queue-server.js';

/** The head fields of an answer, less those that differ by the second (Date) or by the bytes of an ETA. */
export function head(reply: Reply, withLength: boolean): Record<string, string> {
  const fields: Record<string, string> = {};
  reply.headers.forEach((value, name) => {
    if (name !== 'date' && (withLength || name !== 'content-length')) fields[name] = value;
  });
  return fields;
}

/** A waiting member's place without its ETAs (they move with the clock between two asks). */
export const place = (body: Record<string, unknown>) => ({ ...body, etaSeconds: undefined, etaHighSeconds: undefined });

/**
 * The hot answer's problem is Koa's, byte for byte: head fields and body, with the request id the
 * client sent (`requestId`), or a fresh one on each side when it was malformed ('no good').
 */
export function expectSameProblem(hot: Reply, koa: Reply, target: string, requestId: string): void {
  expect(hot.body.requestId).to.equal(hot.headers.get('x-request-id'));
  // a malformed id is replaced by a fresh one on each side
  const fresh = requestId === 'no good';
  if (fresh) expect(hot.body.requestId).to.not.equal(requestId);
  const sameId = (reply: Reply) => ({ ...head(reply, true), 'x-request-id': fresh ? 'fresh' : reply.headers.get('x-request-id') });
  expect(sameId(hot), target).to.deep.equal(sameId(koa));
  expect({ ...hot.body, requestId: fresh || hot.body.requestId }, target).to.deep.equal({
    ...koa.body,
    requestId: fresh || koa.body.requestId,
  });
}
