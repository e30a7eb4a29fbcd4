import { execFile } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { TOKENS } from '../../../src/application/tokens.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { seedSale } from '../../../src/infrastructure/cli/seed.command.js';
import type { SeedOutput } from '../../../src/infrastructure/cli/seed-output.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import type { Knex } from '../../../src/infrastructure/database/knex.js';
import { FailureStore } from '../../../src/infrastructure/projections/engine/failures.js';
import { LeaseStore } from '../../../src/infrastructure/projections/engine/lease.js';
import type { ProjectionRegistry } from '../../../src/infrastructure/projections/engine/registry.js';
import { projectionStatuses } from '../../../src/infrastructure/projections/engine/status.js';
import { startServer, type RunningServer } from '../../../src/infrastructure/server.js';
import { MODES, modeEnvironment, type ModeEnvironment } from '../../support/mode-environment.js';
import { tempDataDir } from '../../support/temp-dir.js';
import { databaseSnapshot } from './read-model-snapshot.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

/** The real CLI (`src/cli.ts`) as a process of its own, with `env` as its only database settings. */
async function onsale(env: Record<string, string>, ...args: string[]): Promise<string> {
  const { MYSQL_URL: _m, REDIS_URL: _r, DATA_DIR: _d, JWT_SECRET: _j, ...rest } = process.env;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...rest, LOG_LEVEL: 'warn', ...env },
  });
  return stdout;
}

async function request(server: RunningServer, method: string, url: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`http://127.0.0.1:${server.port}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Until every projection of the server has applied the head of the log. */
async function caughtUp(server: RunningServer): Promise<void> {
  const knex = server.container.resolve<Knex>(TOKENS.Knex);
  const deps = {
    knex,
    eventStore: server.container.resolve<EventStore>(TOKENS.EventStore),
    leases: new LeaseStore(knex),
    failures: new FailureStore(knex),
  };
  const projections = server.container.resolve<ProjectionRegistry>(TOKENS.ProjectionRegistry).list();
  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const statuses = await projectionStatuses(deps, projections);
    if (statuses.every((status) => status.lagPositions === 0 && status.position > 0)) return;
  }
  throw new Error('the projections did not catch up in 20 s');
}

describe('restore drill: sell, back up, restore into a fresh database, rebuild', function () {
  this.timeout(180_000);

  for (const { mode, title } of MODES) {
    describe(title, () => {
      const files = tempDataDir();
      const backup = path.join(files.dir, 'onsale.backup.gz');
      let original: ModeEnvironment | undefined;
      let restored: ModeEnvironment | undefined;
      let seed: SeedOutput;
      let snapshot: Awaited<ReturnType<typeof databaseSnapshot>>;
      let sold: { showId: string; seats: string[] };
      const tokens: string[] = [];
      let restoreOutput = '';

      before(async function () {
        original = await modeEnvironment(this, mode, 'onsale_drill');
        restored = await modeEnvironment(this, mode, 'onsale_drill_restored');
        const env = { ...original.env, LOG_LEVEL: 'silent' };
        seed = await seedSale(loadConfig(env), { members: 6, shows: ['reserved', 'general'], seats: 40, capacity: 50 });
        const server = await startServer(loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' }));
        try {
          const [reserved, general] = seed.shows;
          sold = { showId: reserved!.id, seats: reserved!.seats.slice(0, 8) };
          // four members buy two seats each, one buys three general-admission tickets, one keeps a hold open
          for (const [i, member] of seed.members.slice(0, 4).entries()) {
            const held = await request(
              server,
              'POST',
              `/api/shows/${reserved!.id}/holds`,
              { seats: sold.seats.slice(i * 2, i * 2 + 2) },
              member.accessToken,
            );
            expect(held.status, JSON.stringify(held.body)).to.equal(201);
            expect(
              (await request(server, 'POST', `/api/holds/${held.body.holdId}/confirm`, undefined, member.accessToken)).status,
            ).to.equal(201);
          }
          const ga = await request(server, 'POST', `/api/shows/${general!.id}/holds`, { quantity: 3 }, seed.members[4]!.accessToken);
          expect(ga.status, JSON.stringify(ga.body)).to.equal(201);
          expect(
            (await request(server, 'POST', `/api/holds/${ga.body.holdId}/confirm`, undefined, seed.members[4]!.accessToken)).status,
          ).to.equal(201);
          const open = await request(
            server,
            'POST',
            `/api/shows/${reserved!.id}/holds`,
            { seats: [reserved!.seats[20]!] },
            seed.members[5]!.accessToken,
          );
          expect(open.status, JSON.stringify(open.body)).to.equal(201);
          for (const member of seed.members) tokens.push(member.accessToken);
          await caughtUp(server);
        } finally {
          await server.close();
        }
        snapshot = await databaseSnapshot(env);
        await onsale(original.env, 'backup', backup);
        restoreOutput = await onsale(restored.env, 'restore', backup);
      });

      after(async () => {
        await original?.cleanup();
        await restored?.cleanup();
        files.remove();
      });

      it('when backed up, then the file is readable by its owner only', () => {
        expect(statSync(backup).mode & 0o777).to.equal(0o600);
      });

      it('when restored and rebuilt, then every read model is identical to the original', async () => {
        expect(restoreOutput).to.match(/seat-map: rebuilt at position \d+/);
        const after = await databaseSnapshot(restored!.env);
        expect(Object.keys(after.readModels)).to.have.length.greaterThan(4);
        expect(after.readModels).to.deep.equal(snapshot.readModels);
        expect(after.carried).to.deep.equal(snapshot.carried);
        expect(after.carried.member_keys).to.have.length(6);
      });

      it('when served from the restored database, then every member logs in and earlier tokens still work', async () => {
        const server = await startServer(loadConfig({ ...restored!.env, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' }));
        try {
          for (const [i, member] of seed.members.entries()) {
            const login = await request(server, 'POST', '/api/auth/login', { email: member.email, password: seed.password });
            expect(login.status, `${member.email}: ${JSON.stringify(login.body)}`).to.equal(200);
            const me = await request(server, 'GET', '/api/members/me', undefined, tokens[i]);
            expect(me.status).to.equal(200);
            // the e-mail is sealed with the member's key: only a restored key opens it
            expect(me.body).to.include({ email: member.email });
          }
        } finally {
          await server.close();
        }
      });

      it('when a seat sold before the backup is asked for after the restore, then it is not sold again', async () => {
        const server = await startServer(loadConfig({ ...restored!.env, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' }));
        try {
          const again = await request(server, 'POST', `/api/shows/${sold.showId}/holds`, { seats: [sold.seats[0]!] }, tokens[5]);
          expect(again.status).to.equal(409);
        } finally {
          await server.close();
        }
      });

      it('when the target database already holds events, then restore refuses and changes nothing', async () => {
        const error = await onsale(original!.env, 'restore', backup).then(
          () => undefined,
          (failure: { stderr: string; code: number }) => failure,
        );
        expect(error?.code).to.equal(1);
        expect(error?.stderr).to.contain('the target database is not empty');
        expect((await databaseSnapshot(original!.env)).carried).to.deep.equal(snapshot.carried);
      });
    });
  }

  it('when a backup file was cut short, then restore refuses it before writing anything', async function () {
    const dir = tempDataDir();
    try {
      const cut = path.join(dir.dir, 'cut.gz');
      const header = {
        format: 'onsale-backup',
        version: 1,
        createdAt: new Date().toISOString(),
        database: 'sqlite',
        migrations: ['001-event-store'],
      };
      writeFileSync(
        cut,
        gzipSync(`${JSON.stringify(header)}\n${JSON.stringify({ table: 'streams', row: { stream_id: 'x', version: 1 } })}\n`),
      );
      const target = { DATA_DIR: path.join(dir.dir, 'data') };
      const failure = await onsale(target, 'restore', cut).then(
        () => undefined,
        (error: { stderr: string }) => error,
      );
      expect(failure?.stderr).to.contain('was cut short');
      expect((await databaseSnapshot(target, false)).carried.streams).to.deep.equal([]);
    } finally {
      dir.remove();
    }
  });
});
