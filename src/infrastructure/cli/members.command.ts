import { Command } from 'commander';
import { GrantAdminHandler } from '../../application/members/grant-admin.handler.js';
import { GrantStaffHandler } from '../../application/members/grant-staff.handler.js';
import { MEMBERS_PROJECTION } from '../../application/members/members.ports.js';
import type { ProjectionWaiter } from '../../application/ports/projection-waiter.js';
import { TOKENS } from '../../application/tokens.js';
import { withContainer } from './cli-container.js';
import { waitForLogHead } from '../projections/wait-for-log-head.js';

/** How long grant-admin waits for the members read model (run by the server) to reach the head. */
const CATCH_UP_MS = 5000;

/** `onsale members grant-admin <email>`, `onsale members grant-staff <email> [--show <id>]`; `open` supplies the container (tests may swap parts). */
export function membersCommand(open: typeof withContainer = withContainer): Command {
  const command = new Command('members').description('manage members');
  command
    .command('grant-admin')
    .description('give the member with this e-mail address the admin role (an event; in their tokens from their next log-in)')
    .argument('<email>', 'the member’s e-mail address')
    .action((email: string) =>
      open(async (container) => {
        const waiter = container.resolve<ProjectionWaiter>(TOKENS.ProjectionWaiter);
        if (!(await waitForLogHead(container, MEMBERS_PROJECTION, CATCH_UP_MS))) {
          console.warn('warning: the members read model is behind the log (is a server running?); a new member may not be found yet');
        }
        const granted = await container.resolve(GrantAdminHandler).handle({ email });
        // The server's runner applies it; wait so that a log-in right after this command sees it.
        if (granted.changed && !(await waiter.waitFor(MEMBERS_PROJECTION, granted.position, CATCH_UP_MS))) {
          console.warn('warning: the grant is stored, but the members read model has not applied it yet (is a server running?)');
        }
        console.log(
          granted.changed
            ? `granted the admin role to ${email} (member ${granted.memberId}); it is in their tokens from their next log-in`
            : `${email} (member ${granted.memberId}) is an admin already`,
        );
      }),
    );
  command
    .command('grant-staff')
    .description('make the member with this e-mail address door staff (check-in) of one show, or of every show')
    .argument('<email>', 'the member’s e-mail address')
    .option('--show <showId>', 'staff of this show only (default: every show)')
    .action((email: string, options: { show?: string }) =>
      open(async (container) => {
        const waiter = container.resolve<ProjectionWaiter>(TOKENS.ProjectionWaiter);
        await waitForLogHead(container, MEMBERS_PROJECTION, CATCH_UP_MS);
        const granted = await container.resolve(GrantStaffHandler).handle({ email, ...(options.show ? { showId: options.show } : {}) });
        if (granted.changed) await waiter.waitFor(MEMBERS_PROJECTION, granted.position, CATCH_UP_MS);
        console.log(
          granted.changed
            ? `granted ${granted.role} to ${email} (member ${granted.memberId}); it is in their tokens from their next log-in`
            : `${email} (member ${granted.memberId}) has ${granted.role} already`,
        );
      }),
    );
  return command;
}
