import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { drawAudit, replayDraw, type DrawAudit } from '../../application/admission/draw-audit.query.js';
import type { EventStore } from '../../application/ports/event-store.js';
import { TOKENS } from '../../application/tokens.js';
import { withContainer } from './cli-container.js';

/** `onsale draw <showId>`: the pre-queue draw's commitment, seed and entrant count; with --entrants, redoes it. */
export function drawCommand(open: typeof withContainer = withContainer): Command {
  return new Command('draw')
    .description("show a sale's pre-queue draw: the seed's commitment (published before opening), the seed, the entrants")
    .argument('<showId>', 'the show')
    .option('--entrants <file>', 'member ids in join order, one a line: redo the draw and print its order')
    .option('--json', 'print JSON instead of lines')
    .action((showId: string, options: { entrants?: string; json?: boolean }) =>
      open(async (container) => {
        const audit = await drawAudit(container.resolve<EventStore>(TOKENS.EventStore), showId);
        const entrants = options.entrants ? readFileSync(options.entrants, 'utf8').split('\n').filter(Boolean) : undefined;
        const replay = entrants ? replayDraw(audit, entrants) : undefined;
        console.log(options.json ? JSON.stringify({ ...audit, replay }, null, 2) : formatAudit(audit, replay));
      }),
    );
}

function formatAudit(audit: DrawAudit, replay?: { order: string[]; digestMatches: boolean }): string {
  const lines = [
    `show            ${audit.showId}`,
    `commitment      ${audit.commitment ?? '(none recorded)'}${audit.committedAt ? ` kept ${audit.committedAt}, published ${audit.publishedAt}` : ''}`,
    `drawn           ${audit.drawn ? `at ${audit.drawnAt}` : 'not yet'}`,
  ];
  if (audit.drawn) {
    lines.push(
      `entrants        ${audit.entrants}`,
      `seed            ${audit.seed}`,
      `entrants sha256 ${audit.entrantsDigest ?? '(not recorded)'}`,
    );
    lines.push(
      `sha256(seed) = commitment: ${audit.seedMatchesCommitment === null ? 'no commitment to check' : audit.seedMatchesCommitment ? 'yes' : 'NO'}`,
    );
  }
  if (replay) {
    lines.push(`entrants file matches the draw's digest: ${replay.digestMatches ? 'yes' : 'NO'}`, 'drawn order:');
    lines.push(...replay.order.map((memberId, i) => `${String(i + 1).padStart(6)}  ${memberId}`));
  }
  return lines.join('\n');
}
