import { existsSync } from 'node:fs';
import { startGaleraCluster, type GaleraCluster } from '../../bench/galera-cluster.js';

export type { GaleraCluster } from '../../bench/galera-cluster.js';

const NEEDED = ['/usr/lib/galera/libgalera_smm.so', '/usr/sbin/mariadbd', '/usr/sbin/haproxy', '/usr/bin/rsync'];
let shared: Promise<GaleraCluster> | undefined;

/**
 * The 3-node Galera cluster of ops/galera/cluster.sh with HAProxy in front, started once per test
 * process (about 20 s) and shared by every suite that asks; stopped when the process exits. Skips the
 * suite when Galera or HAProxy is missing, saying so (fails under CI=true). Suites that kill nodes
 * start them again before they end, so that the next suite finds three Synced nodes.
 */
export async function galeraCluster(context: Mocha.Context): Promise<GaleraCluster> {
  const missing = NEEDED.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    if (process.env.CI === 'true') throw new Error(`Galera tests need ${missing.join(', ')} under CI=true`);
    console.warn(`      (skipped: no Galera cluster here: ${missing.join(', ')} missing)`);
    context.skip();
  }
  context.timeout(120_000);
  shared ??= startGaleraCluster();
  shared.catch(() => (shared = undefined));
  return shared;
}
