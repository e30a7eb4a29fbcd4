import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A cluster driven by one of the ops/<engine>/cluster.sh scripts, living in a temporary folder. */
export interface ScriptedCluster {
  /** Runs the script with the cluster's environment; resolves with what it printed. */
  script(...args: string[]): Promise<string>;
  /** `stop`, then the folder deleted (unless kept); once, also when the process exits. */
  remove(): Promise<void>;
}

export interface ScriptedClusterOptions {
  /** The script's path, also its name in errors. */
  script: string;
  /** The temporary folder's name starts with this. */
  prefix: string;
  /** The script's own variables, given the folder. */
  env(dir: string): Record<string, string>;
  /** How long one script call may take (`start` is the longest). */
  timeoutMs: number;
  /** Keep the folder (logs, data) after the cluster is stopped, to see what went wrong. */
  keep?: boolean;
}

/**
 * Runs `script start` in a fresh temporary folder and hands back the script and the removal: the
 * lifecycle the Galera and Redis Cluster harnesses share. A failed start removes what it left.
 */
export async function startScriptedCluster(options: ScriptedClusterOptions): Promise<ScriptedCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), options.prefix));
  if (options.keep) console.error(`${path.relative(process.cwd(), options.script)}: cluster in ${dir} (kept)`);
  const env = { ...process.env, ...options.env(dir) };
  const script = (...args: string[]) => run(options.script, args, { env, timeout: options.timeoutMs }).then(({ stdout }) => stdout);
  let removed = false;
  const deleteFolder = () => {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  };
  const removeNow = () => {
    if (removed) return;
    removed = true;
    spawnSync(options.script, ['stop'], { env, timeout: options.timeoutMs / 2 });
    deleteFolder();
  };
  process.once('exit', removeNow);
  try {
    await script('start');
  } catch (error) {
    removeNow();
    const { stderr } = error as { stderr?: string };
    throw new Error(`${path.relative(process.cwd(), options.script)} start failed: ${stderr ?? (error as Error).message}`, {
      cause: error,
    });
  }
  return {
    script,
    remove: async () => {
      if (removed) return;
      removed = true;
      await script('stop').catch(() => undefined);
      deleteFolder();
    },
  };
}
