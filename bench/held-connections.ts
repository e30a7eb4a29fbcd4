import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The value once `value` gives one, asked every 100 ms; throws after `ms`. */
export async function until<T>(value: () => T | undefined, what: string, ms: number): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) {
    const found = value();
    if (found !== undefined) return found;
  }
  throw new Error(`gave up waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last JSON line a child process printed (its latest memory sample), undefined before the first. */
export function latestSample<T>(child: ChildProcess): () => T | undefined {
  let last: T | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    const line = chunk.toString().trim().split('\n').at(-1);
    if (line) last = JSON.parse(line) as T;
  });
  return () => last;
}

/** Kills a child process of the bench unless it has ended. */
export const stop = (child: ChildProcess) => child.exitCode === null && child.kill('SIGKILL');

/** Exits unless this process (and so its children) may hold `connections` open files and some. */
export function needOpenFiles(connections: number, knob: string): void {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  if (Number(line?.split(/\s+/)[3] ?? Infinity) >= connections + 200) return;
  console.error(`each process needs ${connections + 200} open files: run \`ulimit -n 20000\` in this shell first (or ${knob} lower)`);
  process.exit(1);
}
