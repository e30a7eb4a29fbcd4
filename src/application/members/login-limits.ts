import { createHash } from 'node:crypto';

/** Failed log-ins allowed per window before 429, per address and per client IP. */
export const LOGIN_LIMITS = {
  perAddress: { failures: 10, windowSeconds: 15 * 60 },
  perIp: { failures: 50, windowSeconds: 15 * 60 },
  /** Wrong current passwords on a password change, per member. */
  perMemberPasswordChange: { failures: 10, windowSeconds: 15 * 60 },
} as const;

/** Rate-limit keys hold a hash of the address, never the address itself. */
export function addressKey(email: string): string {
  return `login-failures:address:${createHash('sha256').update(email, 'utf8').digest('hex')}`;
}

export function ipKey(ip: string): string {
  return `login-failures:ip:${ip}`;
}

export function passwordChangeKey(memberId: string): string {
  return `password-change-failures:member:${memberId}`;
}
