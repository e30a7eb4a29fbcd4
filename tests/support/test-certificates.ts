import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ServerCertificate {
  /** PEM files: the CA that signed it, the certificate and its key. */
  ca: string;
  cert: string;
  key: string;
}

export interface TestCertificates {
  dir: string;
  /** A certificate signed by the test's CA for `names` (DNS names and IP addresses). */
  server(name: string, names: string[]): ServerCertificate;
  /** Another CA of its own: what a client that trusts it sees as an unknown issuer. */
  otherCa(): string;
  remove(): void;
}

/** A throw-away CA made with `openssl`, in a temporary directory, and server certificates it signs. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), 'onsale-tls-'));
  const file = (name: string) => path.join(dir, name);
  const newCa = (name: string) => {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=onsale test ${name}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.pem`),
    ]);
    return file(`${name}.pem`);
  };
  const ca = newCa('ca');
  return {
    dir,
    server(name, names) {
      const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
      writeFileSync(
        file(`${name}.ext`),
        `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
      );
      openssl([
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        `/CN=${names[0]}`,
        '-keyout',
        file(`${name}.key`),
        '-out',
        file(`${name}.csr`),
      ]);
      openssl([
        'x509',
        '-req',
        '-in',
        file(`${name}.csr`),
        '-CA',
        ca,
        '-CAkey',
        file('ca.key'),
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        file(`${name}.ext`),
        '-out',
        file(`${name}.pem`),
      ]);
      return { ca, cert: file(`${name}.pem`), key: file(`${name}.key`) };
    },
    otherCa: () => newCa(`other-ca-${Math.random().toString(36).slice(2, 8)}`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
