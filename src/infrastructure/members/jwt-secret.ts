import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';

const SECRET_NAME = 'jwt-secret';

/**
 * The HS256 signing secret: JWT_SECRET when set; else generated once and kept — in
 * `DATA_DIR/jwt-secret` (mode 0600) in embedded mode, in the `server_secrets` table when the
 * database is MySQL, so that every server process on that database signs alike.
 */
export async function resolveJwtSecret(config: Config, knex: Knex, logger: Logger): Promise<Uint8Array> {
  if (config.JWT_SECRET) return new TextEncoder().encode(config.JWT_SECRET);
  if (config.database === 'mysql') {
    logger.warn('JWT_SECRET is not set: using the signing secret generated into the database (server_secrets)');
    return new TextEncoder().encode(await secretInDatabase(knex));
  }
  return new TextEncoder().encode(await secretInFile(path.join(config.DATA_DIR, SECRET_NAME), logger));
}

function generate(): string {
  return randomBytes(48).toString('base64url');
}

/** Insert-if-absent, then read: concurrent first starts agree on one secret. */
async function secretInDatabase(knex: Knex): Promise<string> {
  await knex('server_secrets').insert({ name: SECRET_NAME, value: generate(), created_at: Date.now() }).onConflict('name').ignore();
  const row = (await knex('server_secrets').where({ name: SECRET_NAME }).first('value')) as { value: string } | undefined;
  if (!row) throw new Error('The JWT secret could not be stored in server_secrets');
  return row.value;
}

/** Created exclusively (`wx`), so that two processes starting together keep the same one. */
async function secretInFile(file: string, logger: Logger): Promise<string> {
  try {
    await writeFile(file, generate(), { flag: 'wx', mode: 0o600 });
    logger.info({ file }, 'generated the JWT signing secret');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (((await stat(file)).mode & 0o077) !== 0) {
      logger.warn({ file }, 'the JWT secret file was readable by others: restricting it to its owner');
      await chmod(file, 0o600);
    }
  }
  const secret = (await readFile(file, 'utf8')).trim();
  // A file still being written by another process reads empty: wait for it.
  if (secret.length < 32) return new Promise((resolve) => setTimeout(() => resolve(secretInFile(file, logger)), 20));
  return secret;
}
