import { z } from 'zod';

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
  MYSQL_URL: url(['mysql:', 'mariadb:']).optional(),
  /** Connections per process for reads, projections and idempotency answers (appends have 4 of their own). */
  MYSQL_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(32),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
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
  /** How many ports each worker listens on alone (see workerPorts): a burst of new connections is accepted that many at a time. */
  WORKER_LISTENERS: z.coerce.number().int().min(1).max(64).default(4),
  /** Set by the primary for each worker (0…WORKERS−1, of WORKERS); not for users. */
  ONSALE_WORKER_SLOT: z.coerce.number().int().min(0).default(0),
  ONSALE_WORKER_SLOTS: z.coerce.number().int().min(1).default(1),
  HOLD_TTL_SECONDS: positiveInt(300),
  /** How long an Idempotency-Key's first answer is kept; a retry after that runs as a new request. */
  IDEMPOTENCY_RETENTION_HOURS: positiveInt(24),
  WEB_DIR: z.string().optional(),
  /** Proxies in front whose X-Forwarded-For entries are trusted (1 behind our Nginx); 0 trusts none. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
});

export type Config = z.infer<typeof schema> & {
  /** 'mysql' when MYSQL_URL is set, else the embedded SQLite store in DATA_DIR. */
  database: 'mysql' | 'sqlite';
};

export class ConfigError extends Error {}

/** Reads the configuration from the environment; every bad value is named in one message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, blankToUndefined(env[key])]));
  const parsed = schema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, database: parsed.data.MYSQL_URL ? 'mysql' : 'sqlite' };
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
