import { Writable } from 'node:stream';
import { loadConfig } from '../../src/infrastructure/config/config.js';
import { createLogger } from '../../src/infrastructure/logging/logger.js';
import { startServer, type RunningServer } from '../../src/infrastructure/server.js';
import { tempDataDir } from './temp-dir.js';

/** An in-process server on SQLite in a fresh DATA_DIR (no MySQL, no Redis), its log lines kept. */
export interface EmbeddedServer {
  running: RunningServer;
  base: string;
  /** Every JSON log line written so far. */
  logs(): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startEmbeddedServer(level = 'debug'): Promise<EmbeddedServer> {
  const data = tempDataDir();
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: data.dir, LOG_LEVEL: level });
  const running = await startServer(config, createLogger(level, capture));
  return {
    running,
    base: `http://127.0.0.1:${running.port}`,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    close: async () => {
      await running.close();
      data.remove();
    },
  };
}
