import { Command } from 'commander';
import { userInfo } from 'node:os';
import { RunSaleHandler } from '../../application/catalog/run-sale.handler.js';
import type { SaleControl } from '../../domain/catalog/show.commands.js';
import { withContainer } from './cli-container.js';

const CONTROLS: Record<string, Exclude<SaleControl['action'], 'set-admission'>> = {
  open: 'open-now',
  pause: 'pause-admissions',
  resume: 'resume-admissions',
  close: 'close-now',
};

/**
 * `onsale sale <open|pause|resume|close> <showId>`: the console's run-the-sale controls from a
 * shell (a script, or an operator whose console is out of reach). Recorded like the console's,
 * naming `--by` (default cli:<user>) instead of an admin.
 */
export function saleCommand(open: typeof withContainer = withContainer): Command {
  return new Command('sale')
    .description("run a show's sale: open it now, pause or resume the waiting room's admissions, close it now")
    .argument('<control>', Object.keys(CONTROLS).join(' | '))
    .argument('<showId>', 'the show')
    .option('--by <who>', 'who did it, as the show history records it', `cli:${userInfo().username}`)
    .action((control: string, showId: string, options: { by: string }) => {
      const action = CONTROLS[control];
      if (!action) throw new Error(`unknown control "${control}": one of ${Object.keys(CONTROLS).join(', ')}`);
      return open(async (container) => {
        const { changed } = await container.resolve(RunSaleHandler).handle({ showId, control: { action }, by: options.by });
        console.log(changed ? `${showId}: ${action}` : `${showId}: ${action} changed nothing (the sale was so already)`);
      });
    });
}
