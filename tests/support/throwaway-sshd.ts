import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port.js';

/** Where sshd may be: $SSHD, Debian's package, or the copy .ci/run unpacks without installing it as a service. */
export const SSHD_CANDIDATES = [process.env.SSHD, '/usr/sbin/sshd', '/opt/onsale-ci/openssh/usr/sbin/sshd'].filter(Boolean) as string[];

export function findSshd(): string | undefined {
  return SSHD_CANDIDATES.find((candidate) => existsSync(candidate));
}

export interface ThrowawaySshd {
  port: number;
  /** ssh options that reach it as the current user with the throwaway key, host key unchecked. */
  sshOptions: string[];
  stop(): Promise<void>;
}

/**
 * An sshd of the test's own on a free loopback port: its own config, host key and client key in
 * `dir`, in the foreground (-D) as a child of the test. The system's sshd and port 22 are not touched.
 */
export async function startThrowawaySshd(sshd: string, dir: string): Promise<ThrowawaySshd> {
  const port = await freePort();
  const key = (name: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path.join(dir, name)]);
  key('host_key');
  key('client_key');
  execFileSync('sh', ['-c', `cat "${dir}/client_key.pub" > "${dir}/authorized_keys"`]);
  // privilege separation: sshd insists on this empty directory (created, never removed: harmless)
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const sshOptions = [
    '-p',
    String(port),
    '-i',
    `${dir}/client_key`,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'ConnectTimeout=5',
  ];
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${errors}`);
    try {
      execFileSync('ssh', [...sshOptions, '127.0.0.1', 'true'], { stdio: 'pipe' });
      break;
    } catch (error) {
      if (i > 50) throw new Error(`cannot ssh to the throwaway sshd: ${(error as { stderr?: Buffer }).stderr} ${errors}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    port,
    sshOptions,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
