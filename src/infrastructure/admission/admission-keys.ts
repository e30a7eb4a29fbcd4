import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SigningKey } from './hmac-admission-tokens.js';

/** Parses `kid1:secret1,kid2:secret2` (the first signs, all verify). */
export function parseAdmissionKeys(text: string): SigningKey[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf(':');
      const kid = part.slice(0, at);
      const secret = part.slice(at + 1);
      if (at < 1 || !/^[\w-]+$/.test(kid)) throw new Error(`ADMISSION_KEYS: "${kid || part}" is not a key id (letters, digits, - and _)`);
      if (secret.length < 16) throw new Error(`ADMISSION_KEYS: the secret of "${kid}" must be at least 16 characters`);
      return { kid, secret };
    });
}

/**
 * The configured keys, or (embedded mode) a key generated once into DATA_DIR, so that tokens
 * survive a restart. Several machines must share ADMISSION_KEYS instead.
 */
export function loadAdmissionKeys(configured: string | undefined, dataDir: string): SigningKey[] {
  if (configured) return parseAdmissionKeys(configured);
  const file = path.join(dataDir, 'admission-keys');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `k${Date.now().toString(36)}:${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // another worker wrote it first: use theirs
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return parseAdmissionKeys(readFileSync(file, 'utf8'));
}
