import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const web = path.join(root, 'web');

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(path.join(web, 'dist', 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

/** Builds web/dist when it is missing or older than the sources, so tests never drive a stale UI. */
export async function ensureWebBuilt(): Promise<void> {
  const sources = Math.max(
    newestChange(path.join(web, 'src')),
    newestChange(path.join(web, 'public')),
    statSync(path.join(web, 'index.html')).mtimeMs,
  );
  if (builtAt() >= sources) return;
  await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
}
