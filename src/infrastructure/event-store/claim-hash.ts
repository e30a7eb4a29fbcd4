import { createHash } from 'node:crypto';

/** Claims store a sha256 of the value, never the value itself (no personal data in `claims`). */
export function hashClaimValue(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
