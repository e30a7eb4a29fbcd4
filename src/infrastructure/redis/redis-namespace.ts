import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config/config.js';

/**
 * The Redis key and channel namespace of one deployment: its database's name (readable in
 * redis-cli) and a short hash of where its data lives, so that deployments and test runs sharing a
 * Redis never see each other's keys.
 */
export function redisNamespace(config: Pick<Config, 'MYSQL_URL' | 'DATA_DIR' | 'EVENTSTORE_URL'>): string {
  const name = config.MYSQL_URL ? new URL(config.MYSQL_URL).pathname.replace(/^\//, '') || 'onsale' : 'embedded';
  const identity = [config.EVENTSTORE_URL ?? '', config.MYSQL_URL ? withoutSecrets(config.MYSQL_URL) : path.resolve(config.DATA_DIR)].join(
    '|',
  );
  return `${name}:${createHash('sha256').update(identity).digest('hex').slice(0, 8)}`;
}

/** The same deployment keeps its namespace when its password or TLS settings change. */
function withoutSecrets(url: string): string {
  const parsed = new URL(url);
  if (!parsed.password && !parsed.search) return url;
  parsed.password = '';
  parsed.search = '';
  return parsed.toString();
}
