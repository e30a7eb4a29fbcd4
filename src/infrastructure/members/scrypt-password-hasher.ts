import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../../application/members/members.ports.js';

/** scrypt cost: N = 2^15, r = 8, p = 1 uses 32 MiB and about 85 ms of one core (docs/members.md). */
export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export type ScryptCost = { N: number; r: number; p: number };

/**
 * Hashes as `scrypt$N$r$p$salt$hash` (base64), so that each hash says its own cost and a later
 * cost can be introduced without breaking old hashes. Node runs scrypt on its thread pool, off
 * the event loop. Passwords are NFKC-normalised first (NIST SP 800-63B).
 */
export class ScryptPasswordHasher implements PasswordHasher {
  private dummy?: Promise<string>;

  constructor(private readonly cost: ScryptCost = SCRYPT_COST) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(password, salt, this.cost);
    const { N, r, p } = this.cost;
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    if (hash === undefined) {
      // Same work as for a real member, so that response times do not tell which addresses exist.
      this.dummy ??= this.hash(randomBytes(SALT_LENGTH).toString('hex'));
      await this.verify(password, await this.dummy);
      return false;
    }
    const parsed = parse(hash);
    if (!parsed) return false;
    const key = await derive(password, parsed.salt, parsed.cost);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }
}

function derive(password: string, salt: Buffer, { N, r, p }: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function parse(hash: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const [scheme, n, r, p, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  // Bounds, so that a corrupt row cannot ask for gigabytes.
  if (!(cost.N >= 2 && cost.N <= 2 ** 20 && cost.r >= 1 && cost.r <= 32 && cost.p >= 1 && cost.p <= 16)) return undefined;
  return { cost, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}
