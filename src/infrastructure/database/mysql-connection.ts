import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { ConnectionOptions, SslOptions } from 'mysql2';

/** `ssl-mode` of MySQL's own clients; PREFERRED (try TLS, fall back silently) is left out on purpose. */
export const SSL_MODES = ['DISABLED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** mysql2's connection options, as every pool here takes them. */
export type MysqlConnectionOptions = ConnectionOptions;

const SSL_FILES = { 'ssl-ca': 'ca', 'ssl-cert': 'cert', 'ssl-key': 'key' } as const;
const KNOWN_PARAMETERS = new Set(['ssl-mode', ...Object.keys(SSL_FILES)]);

/** The database a MySQL URL names (`onsale` when it names none). */
export function mysqlDatabaseName(url: string): string {
  return new URL(url).pathname.replace(/^\//, '') || 'onsale';
}

/**
 * The one place where a `mysql://user:password@host:port/database?ssl-mode=…&ssl-ca=…` URL becomes
 * mysql2 connection options: every pool onsale opens (knex, the event store's appenders, the
 * database creation) starts from these, so none of them can lose the password or the TLS settings.
 * The user and password are percent-decoded; TLS follows the query parameters of MySQL's clients.
 */
export function mysqlConnectionOptions(url: string): MysqlConnectionOptions {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(parsed.port || 3306);
  const ssl = mysqlTls(parsed.searchParams);
  return {
    host,
    port,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database: mysqlDatabaseName(url),
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: false,
    timezone: 'Z',
    ssl,
    ...(ssl?.verifyIdentity && net.isIP(host) ? { stream: () => socketNamed(host, port) } : {}),
  };
}

/**
 * mysql2 gives TLS no server name for an IP address, and Node then checks the certificate against
 * "localhost" (it falls back to the socket's `_host`, which it records only after a DNS look-up):
 * record the address, so that VERIFY_IDENTITY checks the IP the URL names.
 */
function socketNamed(host: string, port: number): net.Socket {
  return Object.assign(net.connect(port, host), { _host: host });
}

/** Checks a URL's TLS parameters without opening anything; returns a message for what is wrong. */
export function mysqlUrlProblem(url: string): string | undefined {
  try {
    mysqlTls(new URL(url).searchParams);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function mysqlTls(params: URLSearchParams): (SslOptions & { verifyIdentity: boolean }) | undefined {
  for (const name of params.keys()) {
    if (!KNOWN_PARAMETERS.has(name)) throw new Error(`unknown parameter "${name}" (known: ${[...KNOWN_PARAMETERS].join(', ')})`);
  }
  const mode = sslMode(params);
  if (mode === 'DISABLED') return undefined;
  const files = Object.fromEntries(
    Object.entries(SSL_FILES)
      .filter(([parameter]) => params.get(parameter))
      .map(([parameter, option]) => [option, readTlsFile(parameter, params.get(parameter)!)]),
  );
  // REQUIRED encrypts without checking who answers, as MySQL's clients do.
  return { ...files, rejectUnauthorized: mode !== 'REQUIRED', verifyIdentity: mode === 'VERIFY_IDENTITY' };
}

function sslMode(params: URLSearchParams): SslMode {
  const given = params.get('ssl-mode')?.toUpperCase();
  // As MySQL's clients: a CA without a mode means "verify the server against it".
  if (!given) return params.get('ssl-ca') ? 'VERIFY_CA' : 'DISABLED';
  if (!(SSL_MODES as readonly string[]).includes(given)) throw new Error(`ssl-mode must be one of ${SSL_MODES.join(', ')}`);
  return given as SslMode;
}

function readTlsFile(parameter: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`${parameter}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}
