import type { DependencyContainer } from 'tsyringe';
import type { Clock } from '../../application/ports/clock.js';
import { ReservationTicketsHandler } from '../../application/tickets/reservation-tickets.handler.js';
import { TOKENS } from '../../application/tokens.js';
import { ShowQueries } from '../../projections/catalog/show.queries.js';
import type { Config } from '../config/config.js';
import type { Knex } from '../database/knex.js';
import type { Lifecycle } from '../lifecycle.js';
import { createMailTransport } from './mail-transport.js';
import { OutboxMailSender } from './outbox-mail-sender.js';
import { SqlMailOutbox } from './sql-mail-outbox.js';

type Logger = { warn(details: object, message: string): void };

/** E-mail: the outbox and its sender (SMTP, or .eml files under DATA_DIR/mail). Needs catalog and tickets registered first. */
export function registerMail(
  container: DependencyContainer,
  parts: { config: Config; knex: Knex; lifecycle: Lifecycle; logger: Logger },
): void {
  const outbox = new SqlMailOutbox(parts.knex);
  container.register(SqlMailOutbox, { useValue: outbox });
  container.register(TOKENS.WithdrawalNotices, {
    useValue: { queue: (notice: Parameters<SqlMailOutbox['queue']>[0]) => outbox.queue(notice) },
  });
  const sender = new OutboxMailSender(
    outbox,
    createMailTransport(parts.config.SMTP_URL, parts.config.DATA_DIR),
    container.resolve(ShowQueries),
    container.resolve(ReservationTicketsHandler),
    container.resolve<Clock>(TOKENS.Clock),
    parts.logger,
    { from: parts.config.MAIL_FROM },
  );
  container.register(OutboxMailSender, { useValue: sender });
  parts.lifecycle.add(sender);
}
