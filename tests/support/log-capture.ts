import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/infrastructure/logging/logger.js';

/** A logger whose JSON lines a test can read back. */
export function capturingLogger(level = 'info'): { logger: Logger; lines(): Record<string, any>[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, sink), lines: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}
