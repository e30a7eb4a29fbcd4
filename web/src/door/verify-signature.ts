import type { ScannedCode } from './ticket-code.js';

// typed without the DOM library, since the unit tests compile this file for Node
const imported = new Map<string, ReturnType<typeof crypto.subtle.importKey>>();

function base64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * Checks the code's Ed25519 signature in the browser (WebCrypto) against the kept public keys:
 * true or false, undefined when no kept key has the code's key id (or WebCrypto lacks Ed25519).
 */
export async function verifySignature(scanned: ScannedCode, keys: ReadonlyArray<{ kid: string; x: string }>): Promise<boolean | undefined> {
  const jwk = keys.find((key) => key.kid === scanned.kid);
  if (!jwk) return undefined;
  let key = imported.get(`${jwk.kid}:${jwk.x}`);
  if (!key) {
    key = crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
    imported.set(`${jwk.kid}:${jwk.x}`, key);
  }
  try {
    const data = new TextEncoder().encode(scanned.message);
    return await crypto.subtle.verify({ name: 'Ed25519' }, await key, base64url(scanned.signature), data);
  } catch {
    imported.delete(`${jwk.kid}:${jwk.x}`);
    return undefined;
  }
}
