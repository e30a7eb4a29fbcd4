import { spawnSync } from 'node:child_process';

/** Whether a command is on PATH. */
export function hasTool(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Skips the calling suite when a command-line tool is missing, saying so; under CI=true (where
 * .ci/run installs it) a missing tool fails the suite instead.
 */
export function requireTool(context: Mocha.Context, command: string, from: string): void {
  if (hasTool(command)) return;
  if (process.env.CI === 'true') throw new Error(`${command} is required under CI=true but is not installed (${from})`);
  console.warn(`      (skipped: ${command} is not installed: ${from})`);
  context.skip();
}
