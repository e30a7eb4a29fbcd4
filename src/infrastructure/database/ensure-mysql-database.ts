import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { ConfigError } from '../config/config.js';
import { mysqlConnectionOptions, mysqlDatabaseName } from './mysql-connection.js';

/**
 * Creates the database named in a MySQL URL when it does not exist yet. Connects without selecting
 * a database (never the `mysql` schema), so a user with rights on its own database only can run
 * onsale; where the database is missing and the user may not create it, stops with one line that
 * names the database and the grant.
 */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  const name = mysqlDatabaseName(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new ConfigError(`MYSQL_URL names an unusual database "${name}"`);
  const connection = await createConnection({ ...mysqlConnectionOptions(url), database: undefined }).catch((error: unknown) => {
    throw explainTlsFailure(url, error);
  });
  try {
    const [found] = await connection.query<RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    if (found.length) return;
    try {
      await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ER_DBACCESS_DENIED_ERROR') throw error;
      const [[who]] = await connection.query<RowDataPacket[]>('SELECT CURRENT_USER() AS user');
      throw new ConfigError(
        `database "${name}" does not exist and ${quoteUser(String(who?.user))} may not create it: ` +
          `create it as an administrator (CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin) or GRANT CREATE ON \`${name}\`.* to this user`,
      );
    }
  } finally {
    await connection.end();
  }
}

function quoteUser(user: string): string {
  const at = user.lastIndexOf('@');
  return at < 0 ? `'${user}'` : `'${user.slice(0, at)}'@'${user.slice(at + 1)}'`;
}

/** A certificate that does not verify is a configuration matter: one line that says what to check. */
function explainTlsFailure(url: string, error: unknown): unknown {
  const { code, message } = error as { code?: string; message?: string };
  // mysql2 reports a failed handshake as HANDSHAKE_SSL_ERROR, with Node's reason as the message
  const tls = /^(HANDSHAKE_SSL_ERROR|ERR_TLS_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|CERT_)/.test(code ?? '');
  if (!tls) return error;
  const { hostname, port } = new URL(url);
  return new ConfigError(
    `MYSQL_URL: the server at ${hostname}:${port || 3306} did not pass TLS verification (${message}): ` +
      'check ssl-ca, and that the host name is one its certificate names (or use ssl-mode=VERIFY_CA)',
    { cause: error },
  );
}
