import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import { ConfigError, type Config } from '../config/config.js';

/**
 * TLS for a `rediss://` REDIS_URL: the server's certificate and host name are checked against
 * REDIS_TLS_CA when given, else against the system's CAs. User and password stay in the URL
 * (`rediss://user:password@host:6380`), which ioredis reads itself.
 */
export function redisTlsOptions(config: Pick<Config, 'REDIS_URL' | 'REDIS_TLS_CA'>): Pick<RedisOptions, 'tls'> {
  const secure = config.REDIS_URL !== undefined && new URL(config.REDIS_URL).protocol === 'rediss:';
  if (!config.REDIS_TLS_CA) return secure ? { tls: {} } : {};
  if (!secure) throw new ConfigError('REDIS_TLS_CA is set but REDIS_URL does not start with rediss://');
  try {
    return { tls: { ca: readFileSync(config.REDIS_TLS_CA) } };
  } catch (error) {
    throw new ConfigError(`REDIS_TLS_CA: cannot read ${config.REDIS_TLS_CA} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
    });
  }
}
