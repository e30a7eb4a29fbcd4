import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ModeEnvironment } from './mode-environment.js';
import { startPrivateMariadb } from './private-mariadb.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';
import { makeTestCertificates } from './test-certificates.js';

/** What onsale needs on its own database, server and CLI alike (README, "On a managed database"). */
export const ONSALE_GRANTS = 'SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX';
/** Enough for a server once the schema is up to date (migrations and rebuilds run as another user). */
export const RUNTIME_GRANTS = 'SELECT, INSERT, UPDATE, DELETE';
/** Passwords with every character a URL must encode, and some it need not. */
export const MYSQL_TEST_PASSWORD = `p@ss:w/rd%#?&= ü'"${randomBytes(3).toString('hex')}`;
export const REDIS_TEST_PASSWORD = `r3d!s p@ss:/%#${randomBytes(3).toString('hex')}`;

export interface LeastPrivilegeEnvironment extends ModeEnvironment {
  /** Runs one statement as root on the private MariaDB. */
  rootSql(statement: string, bindings?: readonly unknown[]): Promise<unknown>;
  mysqlPort: number;
  /** `ssl-mode=VERIFY_IDENTITY&ssl-ca=…` for another user's URL. */
  tlsQuery: string;
  redis: PrivateRedis;
  /** Where the test's files go (certificates, password files); removed by `cleanup`. */
  dir: string;
}

/**
 * onsale as production hands out its stores: a private MariaDB that requires TLS, where onsale's
 * user has a password with special characters (percent-encoded in MYSQL_URL) and rights on its own
 * database only (which onsale creates), and a private Redis over TLS with an ACL user whose password
 * comes from REDIS_PASSWORD_FILE. Both certificates are verified against the test's CA.
 */
export async function leastPrivilegeEnvironment(context: Mocha.Context, prefix: string): Promise<LeastPrivilegeEnvironment> {
  const certificates = makeTestCertificates();
  const certificate = certificates.server('stores', ['127.0.0.1', 'localhost']);
  const mariadb = await startPrivateMariadb(context, {
    options: { 'require-secure-transport': 'ON', 'ssl-ca': certificate.ca, 'ssl-cert': certificate.cert, 'ssl-key': certificate.key },
  });
  const redis = await startPrivateRedis(context, undefined, { tls: certificate, users: { onsale: REDIS_TEST_PASSWORD } }).catch(
    async (error) => {
      await mariadb.remove();
      throw error;
    },
  );
  const database = `${prefix}_${randomBytes(3).toString('hex')}`;
  await mariadb.sql(`CREATE USER 'onsale'@'%' IDENTIFIED BY ?`, [MYSQL_TEST_PASSWORD]);
  await mariadb.sql(`GRANT ${ONSALE_GRANTS} ON \`${database}\`.* TO 'onsale'@'%'`);
  const redisPasswordFile = path.join(certificates.dir, 'redis-password');
  writeFileSync(redisPasswordFile, `${REDIS_TEST_PASSWORD}\n`);
  const tlsQuery = `ssl-mode=VERIFY_IDENTITY&ssl-ca=${encodeURIComponent(certificate.ca)}`;
  return {
    env: {
      MYSQL_URL: `mysql://onsale:${encodeURIComponent(MYSQL_TEST_PASSWORD)}@127.0.0.1:${mariadb.port}/${database}?${tlsQuery}`,
      REDIS_URL: redis.url.replace('rediss://', 'rediss://onsale@'),
      REDIS_PASSWORD_FILE: redisPasswordFile,
      REDIS_TLS_CA: certificate.ca,
    },
    rootSql: (statement, bindings) => mariadb.sql(statement, bindings),
    mysqlPort: mariadb.port,
    tlsQuery,
    redis,
    dir: certificates.dir,
    cleanup: async () => {
      await redis.stop();
      await mariadb.remove();
      certificates.remove();
    },
  };
}
