import type { DependencyContainer } from 'tsyringe';
import { BootstrapAdminHandler, type BootstrapOutcome } from '../../application/members/bootstrap-admin.handler.js';
import { MEMBERS_PROJECTION, type MemberDirectory } from '../../application/members/members.ports.js';
import type { Clock } from '../../application/ports/clock.js';
import type { SetupTokens } from '../../application/ports/setup-tokens.js';
import { TOKENS } from '../../application/tokens.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { waitForLogHead } from '../projections/wait-for-log-head.js';

const CATCH_UP_MS = 5000;

const OUTCOMES: Record<BootstrapOutcome, string> = {
  created: 'created the admin account of ADMIN_EMAIL',
  granted: 'gave the admin role to the existing account of ADMIN_EMAIL (its password matches ADMIN_PASSWORD)',
  'admin-already': 'the account of ADMIN_EMAIL is an admin',
  'password-differs': 'ADMIN_EMAIL belongs to an account whose password is not ADMIN_PASSWORD: the admin role was NOT given',
  'signed-up-elsewhere': 'the account of ADMIN_EMAIL was created by another server process',
};

/**
 * At start-up, on a store with no admin: ADMIN_EMAIL's account is made the admin, or (in the first
 * worker only) one line with a one-time setup link is printed. Never fails the start.
 */
export async function announceFirstAdmin(container: DependencyContainer, config: Config, port: number, logger: Logger): Promise<void> {
  try {
    // after a restart the members read model may still be replaying: answer on the whole log
    await waitForLogHead(container, MEMBERS_PROJECTION, CATCH_UP_MS);
    if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
      const outcome = await container.resolve(BootstrapAdminHandler).handle({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
      (outcome === 'password-differs' ? logger.warn.bind(logger) : logger.info.bind(logger))(
        { adminEmail: config.ADMIN_EMAIL },
        OUTCOMES[outcome],
      );
      return;
    }
    if (
      config.ONSALE_WORKER_SLOT !== 0 ||
      config.ONSALE_ROLE === 'background' ||
      (await container.resolve<MemberDirectory>(TOKENS.MemberDirectory).hasAdmin())
    )
      return;
    const { token, expiresAt } = container.resolve<SetupTokens>(TOKENS.SetupTokens).issue(container.resolve<Clock>(TOKENS.Clock).now());
    const link = `http://${linkHost(config.HOST)}:${port}/setup?token=${token}`;
    logger.warn(
      { setupLink: link, expiresAt },
      `no admin yet: open ${link} to create the first admin (works once, until ${expiresAt.toISOString()})`,
    );
  } catch (error) {
    logger.warn({ err: error }, 'could not check for a first admin (use `onsale members grant-admin <email>`)');
  }
}

function linkHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
