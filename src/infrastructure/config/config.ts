import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { mysqlUrlProblem } from '../database/mysql-connection.js';
import { CACHE_POSITIONS } from '../event-store/read-event-cache.js';
import { PROJECTION_BATCH_EVENTS } from '../projections/engine/batch-events.js';
import { parseClusterNodes } from '../redis/cluster-nodes.js';

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** `?ssl-mode=REQUIRED|VERIFY_CA|VERIFY_IDENTITY&ssl-ca=/path` as MySQL's own clients take them (see mysql-connection.ts). */
  MYSQL_URL: url(['mysql:', 'mariadb:'])
    .superRefine((value, context) => {
      const problem = URL.canParse(value) ? mysqlUrlProblem(value) : undefined;
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  /** Replaces the password of MYSQL_URL (so that it need not be percent-encoded, or can come from MYSQL_PASSWORD_FILE). */
  MYSQL_PASSWORD: z.string().optional(),
  /** Connections per process for reads, projections and idempotency answers (appends have 4 of their own). */
  MYSQL_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(32),
  /** Bounded waits on the database (docs/failures.md): a new connection's handshake, a free connection, one statement's answer (0: none; the CLI's default). */
  MYSQL_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(2000),
  MYSQL_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
  MYSQL_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(3000),
  /** The server ends a session of ours silent this long (wait_timeout, net_read_timeout): a vanished host's locks go with it; 0: the server's settings. */
  MYSQL_SILENT_SESSION_TIMEOUT_S: z.coerce.number().int().min(0).max(86_400).default(5),
  /** Most events a projection runner reads and commits in one transaction (docs/projections.md). */
  PROJECTION_BATCH_EVENTS: z.coerce.number().int().min(1).max(20_000).default(PROJECTION_BATCH_EVENTS),
  /** Positions of the log whose events a process keeps for its projection runners (docs/event-store.md), about 1.8 KB each. */
  EVENT_CACHE_POSITIONS: z.coerce.number().int().min(64).max(1_048_576).default(CACHE_POSITIONS),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  /** A Redis Cluster instead of REDIS_URL: `host:port,host:port` or `redis[s]://[user:password@]host:port,…` (see cluster-nodes.ts). */
  REDIS_CLUSTER_NODES: z.string().trim().optional(),
  /** Replaces the password of REDIS_URL or of REDIS_CLUSTER_NODES (its user, for an ACL user, stays in the URL). */
  REDIS_PASSWORD: z.string().optional(),
  /** Replicas that must hold a queue join, an admission or a draw seed before it is answered (WAIT; docs/scaling.md); 0: none. Default: 1 on a Cluster, 0 on one Redis. */
  REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(5).optional(),
  /** How long such a write waits for them; fewer in time: the write stands, a warning is logged. */
  REDIS_WAIT_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** How long start-up waits for the Redis Cluster client to be ready before starting unready (503). */
  REDIS_CLUSTER_READY_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(15_000),
  /** PEM file of the CA that signed the Redis server's certificate (rediss:// only); else the system's CAs. */
  REDIS_TLS_CA: z.string().optional(),
  EVENTSTORE_URL: url(['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMISSION_KEYS: z.string().optional(),
  WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /** `os`: workers accept connections themselves; `round-robin`: the primary hands them out (see superviseWorkers). */
  CLUSTER_SCHEDULING: z.enum(['os', 'round-robin']).default('os'),
  /** Each worker also listens alone from WORKER_PORT_BASE + slot × WORKER_LISTENERS, for a proxy that keeps a member on one worker. */
  WORKER_PORT_BASE: z.coerce.number().int().min(1).max(65535).optional(),
  /** Each worker also listens alone on BOOKING_PORT_BASE + slot: admitted members' door, whose accept queue a crowd's joins do not fill. */
  BOOKING_PORT_BASE: z.coerce.number().int().min(1).max(65535).optional(),
  /** How many ports each worker listens on alone (see workerPorts): a burst of new connections is accepted that many at a time. */
  WORKER_LISTENERS: z.coerce.number().int().min(1).max(64).default(32),
  /**
   * With WORKERS > 1: one more process runs the projections and the mail sender, and the workers
   * only serve requests (otherwise the worker that holds the projections' leases does both, and a
   * proxy that spreads requests evenly queues them at it: docs/scaling.md).
   */
  BACKGROUND_WORKER: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  /**
   * With MySQL and Redis: this many more processes hold the waiting room's crowd (joins, polls,
   * event streams) and nothing else, so that admitted members' holds and confirms, served by the
   * WORKERS, never queue in a process behind a burst of joins (docs/waiting-room.md). A proxy sends
   * the queue's routes to their ports: WORKER_PORT_BASE + (WORKERS + i) × WORKER_LISTENERS onwards.
   * 0: every worker serves everything.
   */
  WAITING_ROOM_WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  /** The waiting-room processes' nice value (0–19; higher yields the CPU to the workers more): 4 for a crowd larger than the cores answer at once (docs/waiting-room.md). */
  WAITING_ROOM_NICE: z.coerce.number().int().min(0).max(19).default(0),
  /**
   * With WORKERS > 1: the young generation of the workers that serve bookings, MB a semi-space
   * (V8's `--max-semi-space-size`): fewer scavenges of a saturated worker's requests in flight
   * (docs/benchmarks.md); 0: V8's own. The waiting room's processes keep V8's.
   */
  WORKER_SEMI_SPACE_MB: z.coerce.number().int().min(0).max(1024).default(128),
  /** Set by the primary: `web` (requests only), `background` (see BACKGROUND_WORKER), `all` (both), `waiting-room` (WAITING_ROOM_WORKERS); not for users. */
  ONSALE_ROLE: z.enum(['all', 'web', 'background', 'waiting-room']).default('all'),
  /** Set by the primary for each worker (0…WORKERS−1, of WORKERS); not for users. */
  ONSALE_WORKER_SLOT: z.coerce.number().int().min(0).default(0),
  ONSALE_WORKER_SLOTS: z.coerce.number().int().min(1).default(1),
  /** Tests only: pre-queue draw seeds derived from this text instead of random (docs/waiting-room.md); refused under NODE_ENV=production. */
  ONSALE_TEST_DRAW_SEED: z.string().min(8, 'must be at least 8 characters').optional(),
  HOLD_TTL_SECONDS: positiveInt(300),
  /** How long a waiting-list offer (a hold in the member's name) keeps its seats; fractions allowed (tests). */
  WAITLIST_OFFER_MINUTES: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(15),
  /**
   * Joins of the waiting room in progress at once in a process; the others wait their turn, so that
   * an admitted member's hold never queues behind a crowd's joins (docs/waiting-room.md); 0: no limit.
   */
  JOINS_IN_PROGRESS: z.coerce.number().int().min(0).default(32),
  /** A new admission's lease until the member is seen using it, then the full 20 s (docs/waiting-room.md); 20000: the full lease at once. */
  ADMISSION_FIRST_LEASE_MS: z.coerce.number().int().min(1000).max(20_000).default(6000),
  /** How long an Idempotency-Key's first answer is kept; a retry after that runs as a new request. */
  IDEMPOTENCY_RETENTION_HOURS: positiveInt(24),
  WEB_DIR: z.string().optional(),
  /** `smtp://user:pass@host:587` or `smtps://…`: mail through nodemailer; unset → `.eml` files under DATA_DIR/mail. */
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('onsale <no-reply@onsale.invalid>'),
  /** Proxies in front whose X-Forwarded-For entries are trusted (1 behind our Nginx); 0 trusts none. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** The first admin without the setup link: created at start-up when missing (see bootstrap-admin.handler.ts). */
  ADMIN_EMAIL: z.string().trim().toLowerCase().max(254).pipe(z.email()).optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').max(128).optional(),
});

export type Config = z.infer<typeof schema> & {
  /** 'mysql' when MYSQL_URL is set, else the embedded SQLite store in DATA_DIR. */
  database: 'mysql' | 'sqlite';
};

export class ConfigError extends Error {}

/** Secrets that can also come from a file named by `<NAME>_FILE`, as Docker and Kubernetes mount them. */
export const SECRET_FILE_VARIABLES = [
  'MYSQL_URL',
  'MYSQL_PASSWORD',
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  'REDIS_PASSWORD',
  'JWT_SECRET',
  'ADMISSION_KEYS',
  'ADMIN_PASSWORD',
  'SMTP_URL',
] as const;

/** Reads the configuration from the environment; every bad value is named in one message, never a secret's value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const known = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, blankToUndefined(env[key])]));
  for (const name of SECRET_FILE_VARIABLES) {
    const file = blankToUndefined(env[`${name}_FILE`]);
    if (file === undefined) continue;
    if (known[name] !== undefined) problems.push(`  ${name}_FILE: set ${name} or ${name}_FILE, not both`);
    else known[name] = readSecretFile(name, file, problems);
  }
  const parsed = schema.safeParse(known);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`));
  if (parsed.success) problems.push(...redisProblems(parsed.data), ...testOnlyProblems(parsed.data, env), ...adminProblems(parsed.data));
  if (problems.length || !parsed.success) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  const data = parsed.data;
  return {
    ...data,
    MYSQL_URL: withPassword(data.MYSQL_URL, data.MYSQL_PASSWORD),
    REDIS_URL: withPassword(data.REDIS_URL, data.REDIS_PASSWORD),
    database: data.MYSQL_URL ? 'mysql' : 'sqlite',
  };
}

function redisProblems(data: z.infer<typeof schema>): string[] {
  if (data.REDIS_CLUSTER_NODES === undefined) {
    const tlsWithoutRediss = data.REDIS_TLS_CA && !data.REDIS_URL?.startsWith('rediss://');
    return tlsWithoutRediss ? ['  REDIS_TLS_CA: set, but REDIS_URL does not start with rediss://'] : [];
  }
  if (data.REDIS_URL) return ['  REDIS_CLUSTER_NODES: set REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both'];
  try {
    const cluster = parseClusterNodes(data.REDIS_CLUSTER_NODES);
    return data.REDIS_TLS_CA && !cluster.tls ? ['  REDIS_TLS_CA: set, but REDIS_CLUSTER_NODES are not rediss://'] : [];
  } catch (error) {
    return [`  ${(error as Error).message}`];
  }
}

/** Settings that make a production server predictable: never with NODE_ENV=production. */
function testOnlyProblems(data: z.infer<typeof schema>, env: NodeJS.ProcessEnv): string[] {
  if (data.ONSALE_TEST_DRAW_SEED === undefined || env.NODE_ENV !== 'production') return [];
  return ['  ONSALE_TEST_DRAW_SEED: refused with NODE_ENV=production (it makes every pre-queue draw predictable); for tests only'];
}

function adminProblems(data: z.infer<typeof schema>): string[] {
  if (data.ADMIN_EMAIL && !data.ADMIN_PASSWORD) return ['  ADMIN_PASSWORD: required with ADMIN_EMAIL (or ADMIN_PASSWORD_FILE)'];
  if (data.ADMIN_PASSWORD && !data.ADMIN_EMAIL) return ['  ADMIN_EMAIL: required with ADMIN_PASSWORD'];
  return [];
}

/** Whether Redis is configured: one server (REDIS_URL) or a Cluster (REDIS_CLUSTER_NODES). */
export function usesRedis(config: Partial<Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>>): boolean {
  return Boolean(config.REDIS_URL || config.REDIS_CLUSTER_NODES);
}

/** The file's content without the line end an editor or `echo` leaves; the message names the file, never its content. */
function readSecretFile(name: string, file: string, problems: string[]): string | undefined {
  try {
    return blankToUndefined(readFileSync(file, 'utf8').replace(/\r?\n$/, ''));
  } catch (error) {
    problems.push(`  ${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

function withPassword(url: string | undefined, password: string | undefined): string | undefined {
  if (url === undefined || password === undefined) return url;
  const parsed = new URL(url);
  if (!parsed.username) parsed.username = parsed.protocol.startsWith('redis') ? 'default' : 'root';
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
