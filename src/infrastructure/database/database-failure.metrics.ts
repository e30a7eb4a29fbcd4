import { Counter } from 'prom-client';
import type { DatabaseFailureKind } from './database-failure.js';

// module-level: prom-client's registry is per process, and a metric may be registered only once
const failures = new Counter({
  name: 'onsale_database_failures_total',
  help: 'Database failures by kind, and where they met us (a request answered 503, background work, readiness)',
  labelNames: ['kind', 'where'],
});

/** Counts one database failure of `kind` met by `where` (`request`, `readiness`, a background task's name). */
export function countDatabaseFailure(kind: DatabaseFailureKind, where: string): void {
  failures.inc({ kind, where });
}
