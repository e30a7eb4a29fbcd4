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
  const connection = await createConnection({ ...mysqlConnectionOptions(url), database: undefined });
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
