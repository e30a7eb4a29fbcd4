import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MemberDirectory } from '../../application/members/members.ports.js';
import { MEMBERS_PROJECTION } from '../../application/members/members.ports.js';
import { SignUpHandler } from '../../application/members/sign-up.handler.js';
import { TOKENS } from '../../application/tokens.js';
import { loadConfig, type Config } from '../config/config.js';
import { serveUntilSignalled } from '../cluster/serve-until-signalled.js';
import { buildContainer } from '../container.js';
import type { Lifecycle } from '../lifecycle.js';
import { createLogger } from '../logging/logger.js';
import { DEMO_ADMIN_EMAIL, DEMO_BUYER_EMAIL, demoShows } from './demo-shows.js';
import { scheduleSeedShow } from './seed-schedule-show.js';
import { waitForLogHead } from '../projections/wait-for-log-head.js';

/** What the demo prints, and keeps in `DATA_DIR/demo-credentials.json` (0600) to print again. */
export interface DemoCredentials {
  admin: { email: string; password: string };
  buyer: { email: string; password: string };
  shows: { id: string; title: string; salesOpenAt: string; queue: boolean }[];
}

/**
 * Seeds the demo once per store (a demo admin, a buyer, three shows); a second run finds the demo
 * admin and only prints the credentials again. Refuses a store with an admin of its own.
 */
export async function seedDemo(config: Config): Promise<{ credentials: DemoCredentials; seeded: boolean }> {
  const file = path.join(config.DATA_DIR, 'demo-credentials.json');
  const container = await buildContainer(config, createLogger(config.LOG_LEVEL));
  const lifecycle = container.resolve<Lifecycle>(TOKENS.Lifecycle);
  await lifecycle.start();
  try {
    await waitForLogHead(container, MEMBERS_PROJECTION, 10_000);
    const directory = container.resolve<MemberDirectory>(TOKENS.MemberDirectory);
    if (await directory.byEmail(DEMO_ADMIN_EMAIL))
      return { credentials: JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials, seeded: false };
    if (await directory.hasAdmin())
      throw new Error('this store has an admin of its own: the demo seeds fresh stores only (set DATA_DIR to a new folder)');
    const signUp = container.resolve(SignUpHandler);
    const password = () => randomBytes(12).toString('base64url');
    const admin = { email: DEMO_ADMIN_EMAIL, password: password() };
    const buyer = { email: DEMO_BUYER_EMAIL, password: password() };
    const shows: DemoCredentials['shows'] = [];
    for (const show of demoShows(new Date())) {
      shows.push({
        id: await scheduleSeedShow(container, show),
        title: show.title,
        salesOpenAt: show.salesOpenAt,
        queue: show.queue.enabled,
      });
    }
    await signUp.handle({ ...buyer, name: 'Demo Buyer' });
    // the admin last: its existence marks the demo as seeded
    await signUp.handle({ ...admin, name: 'Demo Organizer' }, { admin: true });
    const credentials = { admin, buyer, shows };
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
    return { credentials, seeded: true };
  } finally {
    await lifecycle.stop();
  }
}

/** The lines a newcomer reads: where to go, and with which accounts. */
export function demoBanner(credentials: DemoCredentials, base: string): string[] {
  const queued = credentials.shows.find((show) => show.queue);
  return [
    `onsale demo: ${credentials.shows.length} shows${queued ? ` (the waiting room of "${queued.title}" opens at ${new Date(queued.salesOpenAt).toLocaleTimeString('en-GB')})` : ''}`,
    `  buyer   ${credentials.buyer.email}  ${credentials.buyer.password}   ${base}/`,
    `  admin   ${credentials.admin.email}  ${credentials.admin.password}   ${base}/admin`,
  ];
}

/** `onsale demo [--no-serve]`: seed the demo into DATA_DIR (or MYSQL_URL), print the accounts, then serve. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('seed a demo venue with three shows, a demo admin and a buyer (credentials printed), then start the server')
    .option('--no-serve', 'seed and print only')
    .action(async (options: { serve: boolean }) => {
      const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
      const { credentials, seeded } = await seedDemo(config);
      const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
      if (!seeded) console.log('onsale demo: seeded before; the same accounts:');
      for (const line of demoBanner(credentials, `http://${host}:${config.PORT}`)) console.log(line);
      if (!options.serve) return;
      const serverConfig = loadConfig();
      await serveUntilSignalled(serverConfig, createLogger(serverConfig.LOG_LEVEL));
      // the server exits the process itself on SIGTERM/SIGINT; the CLI must not exit after this action
      await new Promise<never>(() => undefined);
    });
}
