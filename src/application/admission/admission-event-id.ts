import { createHash } from 'node:crypto';

/** A UUID-shaped id derived from a name, so that every process records one batch under the same id. */
export function admissionEventId(name: string): string {
  const hex = createHash('sha256').update(`onsale-admission:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
