import { createHash } from 'node:crypto';

export interface JsonBody {
  text: string;
  etag: string;
}

// Cached answers are handed out as the same object many times a second: serialise each once.
const serialised = new WeakMap<object, JsonBody>();

/** The JSON text of an answer and its strong ETag, computed once per answer object. */
export function jsonBody(value: object): JsonBody {
  let body = serialised.get(value);
  if (!body) {
    const text = JSON.stringify(value);
    body = { text, etag: `"${createHash('sha1').update(text).digest('base64url')}"` };
    serialised.set(value, body);
  }
  return body;
}

/** Whether an If-None-Match header names this ETag (or is `*`). */
export function matchesEtag(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === etag || candidate === '*';
  });
}
