import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A temporary DATA_DIR for an embedded (SQLite) run; remove() deletes it. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'onsale-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
