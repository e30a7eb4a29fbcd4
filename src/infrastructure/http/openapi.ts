import { z } from 'zod';
import { impliedResponses } from './implied-responses.js';
import { problem } from './problem.schema.js';
import type { RouteSpec } from './route.js';

/** Builds the OpenAPI 3.1 document from the same schemas the routes validate with. */
export function openApiDocument(routes: RouteSpec<any, any, any>[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [...schemaParameters(spec.params, 'path'), ...schemaParameters(spec.query, 'query')];
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.access === 'public' ? {} : { security: [{ bearer: [] }] }),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body
        ? { requestBody: { required: !spec.body.safeParse({}).success, content: { 'application/json': { schema: toSchema(spec.body) } } } }
        : {}),
      responses: Object.fromEntries(
        Object.entries(withStoreUnavailable({ ...impliedResponses(spec), ...spec.responses })).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(status === '503' ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
            ...(response.schema
              ? {
                  content: {
                    [Number(status) >= 400 ? 'application/problem+json' : 'application/json']: { schema: toSchema(response.schema) },
                  },
                }
              : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'onsale',
      version,
      description: 'Event-sourced ticket booking. Errors are application/problem+json with a stable `code`.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}

const RETRY_AFTER = { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } };
const STORE_UNAVAILABLE =
  'STORE.UNAVAILABLE: the database is down, stalled, read-only or out of connections (Retry-After; see docs/failures.md)';

/** Every operation reads or writes a store, so every one may answer 503 STORE.UNAVAILABLE. */
function withStoreUnavailable(responses: RouteSpec<any, any, any>['responses']): RouteSpec<any, any, any>['responses'] {
  const own = responses[503];
  return {
    ...responses,
    503: { description: own ? `${own.description}; ${STORE_UNAVAILABLE}` : STORE_UNAVAILABLE, schema: own?.schema ?? problem },
  };
}

function toSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function schemaParameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = toSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
