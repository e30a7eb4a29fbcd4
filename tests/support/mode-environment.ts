import { leastPrivilegeEnvironment } from './least-privilege-environment.js';
import { createTestDatabase, requireService, TEST_REDIS_URL } from './services.js';
import { tempDataDir } from './temp-dir.js';

/**
 * The two ways onsale runs: on MariaDB + Redis, or embedded (SQLite, in-process queue); and the
 * first as production hands it out (`least-privilege`: TLS, passwords, rights on one database).
 */
export type Mode = 'mariadb' | 'embedded' | 'least-privilege';

export const MODES: { mode: Mode; title: string }[] = [
  { mode: 'mariadb', title: 'MariaDB + Redis' },
  { mode: 'embedded', title: 'embedded SQLite' },
];

export const LEAST_PRIVILEGE = {
  mode: 'least-privilege' as const,
  title: 'MariaDB + Redis over TLS, a password user with rights on its database only',
};

export interface ModeEnvironment {
  /** MYSQL_URL + REDIS_URL of a fresh database, or DATA_DIR of a fresh folder. */
  env: Record<string, string>;
  /** Drops the database or removes the folder. */
  cleanup(): Promise<void>;
}

/**
 * Where a test server of one mode keeps its data: a database of its own on MariaDB with the shared
 * Redis (the suite is skipped, or fails under CI=true, when they are missing), or a fresh DATA_DIR.
 */
export async function modeEnvironment(context: Mocha.Context, mode: Mode, prefix: string): Promise<ModeEnvironment> {
  if (mode === 'least-privilege') return leastPrivilegeEnvironment(context, prefix);
  if (mode === 'mariadb') {
    await requireService(context, 'mysql');
    await requireService(context, 'redis');
    const database = await createTestDatabase(prefix);
    return { env: { MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL }, cleanup: () => database.drop() };
  }
  const dataDir = tempDataDir();
  return { env: { DATA_DIR: dataDir.dir }, cleanup: async () => dataDir.remove() };
}
