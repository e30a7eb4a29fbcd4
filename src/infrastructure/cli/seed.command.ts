import { Command, Option } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { LogInHandler } from '../../application/members/log-in.handler.js';
import type { PasswordHasher } from '../../application/members/members.ports.js';
import { SignUpHandler } from '../../application/members/sign-up.handler.js';
import { TOKENS } from '../../application/tokens.js';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/config.js';
import { buildContainer } from '../container.js';
import type { Lifecycle } from '../lifecycle.js';
import { createLogger } from '../logging/logger.js';
import type { ProjectionRegistry } from '../projections/engine/registry.js';
import type { SeedMember, SeedOutput, SeedShow, ShowKind } from './seed-output.js';
import { SeedPasswordHasher } from './seed-password-hasher.js';
import { scheduleSeedShow } from './seed-schedule-show.js';
import { seatIds, seedShowDefinition, type ShowSize } from './seed-shows.js';
import { waitForLogHead } from '../projections/wait-for-log-head.js';

export const SHOW_KINDS: ShowKind[] = ['reserved', 'reserved-queue', 'general', 'general-queue'];

export interface SeedOptions extends Partial<ShowSize> {
  members: number;
  shows: ShowKind[];
  /** Where to write the JSON (k6 and `npm run load` read it). */
  out?: string;
  /** Sign-ups in flight at once. */
  concurrency?: number;
}

/**
 * Creates members and shows straight through the command handlers (no HTTP), logs every member in,
 * and returns (and writes) what a load run needs: tokens, member ids, show ids and seat ids.
 */
export async function seedSale(config: Config, options: SeedOptions): Promise<SeedOutput> {
  const container = await buildContainer(config, createLogger(config.LOG_LEVEL));
  const lifecycle = container.resolve<Lifecycle>(TOKENS.Lifecycle);
  // Projections run here too, so that seeding works with or without a server running.
  await lifecycle.start();
  try {
    const password = `seed-${randomBytes(9).toString('base64url')}`;
    const scope = container.createChildContainer();
    scope.register(TOKENS.PasswordHasher, {
      useValue: new SeedPasswordHasher(container.resolve<PasswordHasher>(TOKENS.PasswordHasher), password),
    });
    const size: ShowSize = {
      capacity: options.capacity ?? 1_000,
      seats: options.seats ?? 1_000,
      maxTicketsPerMember: options.maxTicketsPerMember ?? 4,
      admitPerSecond: options.admitPerSecond ?? 200,
      maxActive: options.maxActive ?? 500,
      ...(options.orphanSeats ? { orphanSeats: options.orphanSeats } : {}),
    };
    const shows: SeedShow[] = [];
    for (const kind of options.shows) shows.push(await seedShow(scope, kind, size));
    const members = await seedMembers(scope, options.members, password, options.concurrency ?? 128);
    const output: SeedOutput = { version: 1, createdAt: new Date().toISOString(), password, members, shows };
    if (options.out) {
      mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
      writeFileSync(options.out, JSON.stringify(output));
    }
    await settleProjections(container);
    return output;
  } finally {
    await lifecycle.stop();
  }
}

/**
 * Waits until every projection has reached the log's head, so that the read models are whole when
 * the seed exits (a reactor is not replayed by `projections rebuild`: where the seed left it is
 * where it stays until a server runs). A server holding the leases meanwhile is waited on too.
 */
async function settleProjections(container: DependencyContainer): Promise<void> {
  const names = container
    .resolve<ProjectionRegistry>(TOKENS.ProjectionRegistry)
    .list()
    .map((projection) => projection.name);
  const behind = (await Promise.all(names.map(async (name) => ((await waitForLogHead(container, name, 30_000)) ? [] : [name])))).flat();
  if (behind.length > 0) console.warn(`seed: still catching up after 30 s: ${behind.join(', ')} (a running server finishes them)`);
}

async function seedShow(scope: DependencyContainer, kind: ShowKind, size: ShowSize): Promise<SeedShow> {
  const definition = seedShowDefinition(kind, size, new Date());
  const id = await scheduleSeedShow(scope, definition);
  const seats = seatIds(definition);
  return {
    kind,
    id,
    title: definition.title,
    seating: kind.startsWith('reserved') ? 'reserved' : 'general',
    capacity: 'generalAdmission' in definition.seating ? definition.seating.generalAdmission.capacity : seats.length,
    seats,
    maxTicketsPerMember: definition.maxTicketsPerMember,
    queue: definition.queue,
  };
}

async function seedMembers(scope: DependencyContainer, count: number, password: string, concurrency: number): Promise<SeedMember[]> {
  const signUp = scope.resolve(SignUpHandler);
  const logIn = scope.resolve(LogInHandler);
  const run = randomBytes(4).toString('hex');
  const members: SeedMember[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const email = `load-${run}-${i}@onsale.test`;
      const member = await signUp.handle({ email, name: `Load ${i}`, password });
      const token = await logIn.handle({ email, password, ip: '127.0.0.1' });
      members[i] = { id: member.id, email, accessToken: token.accessToken };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return members;
}

const count = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`not a count: ${value}`);
  return parsed;
};

/** `onsale seed --members N --show <kind…>`: add it to the CLI with `program.addCommand(seedCommand())`. */
export function seedCommand(): Command {
  return new Command('seed')
    .description('Create members and shows for a load run and write their credentials as JSON')
    .requiredOption('--members <n>', 'members to sign up and log in', count)
    .addOption(new Option('--show <kind...>', 'shows to create').choices(SHOW_KINDS).default(['general']))
    .option('--capacity <n>', 'tickets of a general-admission show', count, 1_000)
    .option('--seats <n>', 'about this many seats in a reserved show', count, 1_000)
    .option('--max-per-member <n>', 'tickets one member may buy', count, 4)
    .option('--admit-per-second <n>', 'waiting room admission rate (queue kinds)', count, 200)
    .option('--max-active <n>', 'members admitted at once (queue kinds)', count, 500)
    .addOption(
      new Option('--orphan-seats <rule>', 'reserved kinds: hand picks that strand a single seat').choices(['off', 'warn', 'refuse']),
    )
    .option('--concurrency <n>', 'sign-ups in flight at once', count, 128)
    .option('--out <file>', 'where to write the JSON', './data/seed.json')
    .action(async (opts) => {
      const started = performance.now();
      const output = await seedSale(loadConfig(), {
        members: opts.members,
        shows: opts.show,
        capacity: opts.capacity,
        seats: opts.seats,
        maxTicketsPerMember: opts.maxPerMember,
        admitPerSecond: opts.admitPerSecond,
        maxActive: opts.maxActive,
        orphanSeats: opts.orphanSeats,
        concurrency: opts.concurrency,
        out: opts.out,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `seeded ${output.members.length} members and shows ${output.shows.map((s) => `${s.kind} ${s.id}`).join(', ')} in ${seconds} s → ${opts.out}`,
      );
    });
}
