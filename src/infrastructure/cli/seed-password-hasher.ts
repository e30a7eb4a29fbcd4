import type { PasswordHasher } from '../../application/members/members.ports.js';

/**
 * For seeding only: every seeded member has the same password, so it is hashed (at full cost) once
 * and that hash is reused, and a log-in with it is checked by comparing hashes. Seeding thousands
 * of members then takes seconds instead of one scrypt per member. Load-test data, never real
 * accounts: the shared hash shares its salt.
 */
export class SeedPasswordHasher implements PasswordHasher {
  private hashed?: Promise<string>;

  constructor(
    private readonly real: PasswordHasher,
    private readonly password: string,
  ) {}

  hash(password: string): Promise<string> {
    if (password !== this.password) return this.real.hash(password);
    this.hashed ??= this.real.hash(password);
    return this.hashed;
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    if (password === this.password && this.hashed && hash === (await this.hashed)) return true;
    return this.real.verify(password, hash);
  }
}
