import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Command } from 'commander';
import { TOKENS } from '../../application/tokens.js';
import { restoreBackup } from '../backup/restore-backup.js';
import { writeBackup } from '../backup/write-backup.js';
import type { Config } from '../config/config.js';
import type { Knex } from '../database/knex.js';
import { processOwner } from '../projections/engine/engine.js';
import { rebuildProjection } from '../projections/engine/rebuild.js';
import { withContainer } from './cli-container.js';
import { registryOf, storesOf } from './projections.command.js';

/** `onsale backup <file>`: the event log, member keys and secrets, as one consistent gzip file (mode 0600). */
export function backupCommand(open: typeof withContainer = withContainer): Command {
  return new Command('backup')
    .description('write the event log, member keys and server secrets to a file (gzip JSON lines, mode 0600; "-" for stdout)')
    .argument('<file>', 'where to write it')
    .action((file: string) =>
      open(async (container, config) => {
        refuseKurrent(config);
        const knex = container.resolve<Knex>(TOKENS.Knex);
        const dataDir = config.database === 'sqlite' ? config.DATA_DIR : undefined;
        const gzip = createGzip();
        if (file === '-') {
          gzip.pipe(process.stdout);
          const trailer = await writeBackup(knex, gzip, dataDir);
          gzip.end();
          await finished(gzip);
          console.error(summary('backed up', trailer.rows));
          return;
        }
        // written beside, then renamed: a cut-short run never leaves a file under the real name
        const partial = `${file}.partial`;
        // a leftover of a cut run may have another mode: start afresh
        rmSync(partial, { force: true });
        const out = createWriteStream(partial, { mode: 0o600 });
        gzip.pipe(out);
        try {
          const trailer = await writeBackup(knex, gzip, dataDir);
          gzip.end();
          await finished(out);
          renameSync(partial, file);
          console.log(summary(`backed up to ${file}`, trailer.rows));
        } catch (error) {
          gzip.destroy();
          rmSync(partial, { force: true });
          throw error;
        }
      }),
    );
}

/** `onsale restore <file>`: into a fresh database, then every projection rebuilt from the restored log. */
export function restoreCommand(open: typeof withContainer = withContainer): Command {
  return new Command('restore')
    .description('load a backup into a fresh database (MYSQL_URL or DATA_DIR), then rebuild every read model')
    .argument('<file>', 'a file written by onsale backup')
    .action((file: string) =>
      open(async (container, config) => {
        refuseKurrent(config);
        const knex = container.resolve<Knex>(TOKENS.Knex);
        const rows = await restoreBackup(knex, file, config.database === 'sqlite' ? config.DATA_DIR : undefined);
        console.log(summary(`restored from ${file}`, rows));
        for (const projection of registryOf(container).list()) {
          const result = await rebuildProjection({ ...storesOf(container), owner: processOwner('restore') }, projection);
          console.log(`${result.projection}: rebuilt at position ${result.position} (${result.events} events)`);
        }
      }),
    );
}

function refuseKurrent(config: Config): void {
  if (config.EVENTSTORE_URL) throw new Error('the event log is in KurrentDB (EVENTSTORE_URL): back it up with its own tools');
}

function summary(what: string, rows: Record<string, number>): string {
  return `${what}: ${Object.entries(rows)
    .map(([table, count]) => `${table} ${count}`)
    .join(', ')}`;
}
