import { Command } from 'commander';
import { SqlTicketKeyRing } from '../tickets/sql-ticket-key-ring.js';
import { withContainer } from './cli-container.js';

/** `onsale tickets keys | rotate-key | retire-key <kid>`: the Ed25519 keys that sign ticket codes. */
export function ticketsCommand(open: typeof withContainer = withContainer): Command {
  const command = new Command('tickets').description('manage the keys that sign ticket codes');
  command
    .command('keys')
    .description('list the keys, newest last: the newest one not retired signs')
    .action(() =>
      open(async (container) => {
        for (const key of await container.resolve(SqlTicketKeyRing).all()) {
          const retired = key.retired_at === null ? 'active' : `retired ${new Date(key.retired_at).toISOString()}`;
          console.log(`${key.kid}\tcreated ${new Date(key.created_at).toISOString()}\t${retired}`);
        }
      }),
    );
  command
    .command('rotate-key')
    .description('make a new key that signs from now on (servers pick it up within 5 s); older keys still verify until retired')
    .action(() =>
      open(async (container) => {
        console.log(`new signing key ${await container.resolve(SqlTicketKeyRing).rotate(Date.now())}`);
      }),
    );
  command
    .command('retire-key')
    .description('retire a key: codes it signed are refused at the door (TICKET.KEY_RETIRED); owners get fresh codes')
    .argument('<kid>', 'the key id')
    .action((kid: string) =>
      open(async (container) => {
        const retired = await container.resolve(SqlTicketKeyRing).retire(kid, Date.now());
        if (!retired) {
          console.error(`no active key ${kid}`);
          process.exitCode = 1;
          return;
        }
        console.log(`retired ${kid}`);
      }),
    );
  return command;
}
