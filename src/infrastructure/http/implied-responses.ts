import type { RouteSpec } from './route.js';
import { problem } from './problem.schema.js';

/**
 * The answers `mount` and the app give a route of this shape whatever its handler does, so that the
 * OpenAPI document lists every status an operation can answer: malformed input, a body over the
 * limit, a missing token or role, a 304 for a current ETag. A route's own descriptions win.
 */
export function impliedResponses(spec: RouteSpec<any, any, any>): RouteSpec['responses'] {
  const responses: RouteSpec['responses'] = {};
  if (spec.method === 'get' && spec.responses[200]?.schema) {
    responses[304] = { description: 'Not modified: the ETag sent in If-None-Match is current' };
  }
  if (spec.params || spec.query || spec.body) {
    responses[400] = { description: 'HTTP.VALIDATION: a path parameter, query parameter or body field is malformed', schema: problem };
  }
  if (spec.access !== 'public') responses[401] = { description: 'No valid access token', schema: problem };
  if (spec.access === 'admin') responses[403] = { description: 'AUTH.ADMIN_ONLY: this action needs the admin role', schema: problem };
  if (spec.body) responses[413] = { description: 'HTTP.BODY_TOO_LARGE: the body is over 16 kB', schema: problem };
  return responses;
}
