#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from './infrastructure/config/config.js';
import { backupCommand, restoreCommand } from './infrastructure/cli/backup.command.js';
import { demoCommand } from './infrastructure/cli/demo.command.js';
import { drawCommand } from './infrastructure/cli/draw.command.js';
import { membersCommand } from './infrastructure/cli/members.command.js';
import { migrateCommand } from './infrastructure/cli/migrate.command.js';
import { projectionsCommand } from './infrastructure/cli/projections.command.js';
import { saleCommand } from './infrastructure/cli/sale.command.js';
import { seedCommand } from './infrastructure/cli/seed.command.js';
import { ticketsCommand } from './infrastructure/cli/tickets.command.js';

const program = new Command('onsale').description('onsale: event-sourced ticket booking').showHelpAfterError();
program.addCommand(migrateCommand());
program.addCommand(projectionsCommand());
program.addCommand(seedCommand());
program.addCommand(demoCommand());
program.addCommand(membersCommand());
program.addCommand(drawCommand());
program.addCommand(saleCommand());
program.addCommand(ticketsCommand());
program.addCommand(backupCommand());
program.addCommand(restoreCommand());

try {
  await program.parseAsync(process.argv);
  process.exit(process.exitCode ?? 0);
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? `onsale: ${error.message}` : error);
  process.exit(1);
}
