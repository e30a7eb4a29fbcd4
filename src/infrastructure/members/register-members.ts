import type { RedisClient } from '../redis/redis-client.js';
import type { DependencyContainer } from 'tsyringe';
import { TOKENS } from '../../application/tokens.js';
import { sqlMemberKeyRing } from './sql-member-key-ring.js';
import { SqlMemberDirectory } from './sql-member-directory.js';
import type { Config } from '../config/config.js';
import type { Knex } from '../database/knex.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logging/logger.js';
import { redisNamespace } from '../redis/redis-namespace.js';
import { BoundedPasswordHasher } from './bounded-password-hasher.js';
import { HmacSetupTokens } from './hmac-setup-tokens.js';
import { JwtAuthenticator, JwtTokenIssuer } from './jwt-tokens.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { ScryptPasswordHasher } from './scrypt-password-hasher.js';
import { SqlPersonalDataVault } from './sql-personal-data-vault.js';
import { LocalBroadcast, RedisBroadcast, type Broadcast } from '../broadcast.js';

/** The members module's adapters: hashing, personal-data keys, the read model, tokens. */
export async function registerMembers(
  container: DependencyContainer,
  parts: { config: Config; knex: Knex; logger: Logger; redis?: RedisClient; lifecycle: Lifecycle },
): Promise<void> {
  const secret = await resolveJwtSecret(parts.config, parts.knex, parts.logger);
  // a member whose sessions changed (password, withdrawal): every process drops their cached epoch
  const revocations: Broadcast<string> = parts.redis
    ? new RedisBroadcast(parts.redis, {
        channel: `onsale:${redisNamespace(parts.config)}:sessions:changed`,
        encode: (memberId) => memberId,
        decode: (memberId) => memberId,
        onError: (err) => parts.logger.warn({ err }, 'session revocations: redis error'),
      })
    : new LocalBroadcast();
  parts.lifecycle.add({ name: 'session revocations', start: () => undefined, stop: () => revocations.close() });
  const directory = new SqlMemberDirectory(parts.knex, revocations);
  container.register(TOKENS.PasswordHasher, { useValue: new BoundedPasswordHasher(new ScryptPasswordHasher()) });
  container.register(TOKENS.PersonalDataVault, { useValue: new SqlPersonalDataVault(parts.knex) });
  container.register(TOKENS.MemberKeyRing, { useValue: sqlMemberKeyRing });
  container.register(TOKENS.MemberDirectory, { useValue: directory });
  container.register(TOKENS.TokenIssuer, { useValue: new JwtTokenIssuer(secret) });
  container.register(TOKENS.SetupTokens, { useValue: new HmacSetupTokens(secret) });
  container.register(TOKENS.Authenticator, { useValue: new JwtAuthenticator(secret, directory) });
}
